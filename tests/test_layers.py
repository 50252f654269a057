"""The layer contracts of pyproject.toml (import-linter) hold, and an import against them fails."""

from __future__ import annotations

import re
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


# An import against each contract: (module, the line added to it, the contract it breaks, the
# import import-linter names for it).
AGAINST_THE_LAYERS = [
    ("linear/ridge.py", "def _words():\n    from benchlearn.report import wording  # noqa",
     "The engine imports no face and no analysis",
     "benchlearn.linear.ridge -> benchlearn.report.wording"),
    ("evaluate/metrics.py", "import benchlearn.analysis  # noqa",
     "The engine imports no face and no analysis",
     "benchlearn.evaluate.metrics -> benchlearn.analysis"),
    ("analysis/weights.py", "import benchlearn.cli.output  # noqa",
     "Analysis imports no face", "benchlearn.analysis.weights -> benchlearn.cli.output"),
    ("cli/curve.py", "from benchlearn.cli.fit import _parquet_rows  # noqa",
     "No command line module imports another command's module",
     "benchlearn.cli.curve -> benchlearn.cli.fit"),
]  # fmt: skip


def test_each_import_against_the_layers_breaks_its_contract(copy):
    # One lint of a copy holding all four imports (a run costs a fresh interpreter): each one
    # is named under the contract it breaks.
    for module, line, _, _ in AGAINST_THE_LAYERS:
        add_line(copy / "src" / "benchlearn" / module, line)
    result = lint_imports(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    # "Broken contracts" lists each contract under a dashed underline, then its imports
    parts = re.split(r"\n(.+)\n-{3,}\n", result.stdout.split("Broken contracts")[-1])
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    for module, _, contract, chain in AGAINST_THE_LAYERS:
        assert f"{contract} BROKEN" in result.stdout, module
        assert chain in sections[contract], (module, sections[contract])
