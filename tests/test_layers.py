"""The layer contracts of pyproject.toml (import-linter) hold, and an import against them fails."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("importlinter")

ROOT = Path(__file__).resolve().parents[1]


def lint_imports(source: Path) -> subprocess.CompletedProcess[str]:
    code = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", code, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True, text=True, check=False, cwd=source,
        env={"PYTHONPATH": str(source / "src"), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "src" / "benchlearn", tmp_path / "src" / "benchlearn",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    return tmp_path


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n\n{line}\n")


def test_the_package_keeps_every_contract(copy):
    result = lint_imports(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("linear/ridge.py", "def _words():\n    from benchlearn.report import wording  # noqa",
         "The engine imports no face and no analysis"),
        ("evaluate/metrics.py", "import benchlearn.analysis  # noqa",
         "The engine imports no face and no analysis"),
        ("analysis/weights.py", "import benchlearn.cli.output  # noqa",
         "Analysis imports no face"),
        ("cli/curve.py", "from benchlearn.cli.fit import _parquet_rows  # noqa",
         "No command line module imports another command's module"),
    ],
)  # fmt: skip
def test_an_import_against_the_layers_breaks_its_contract(copy, module, line, contract):
    add_line(copy / "src" / "benchlearn" / module, line)
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{contract} BROKEN" in result.stdout
