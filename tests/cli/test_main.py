import subprocess
import sys

import benchlearn


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchlearn.cli.main", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_version_prints_the_package_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"benchlearn {benchlearn.__version__}"


def test_unknown_command_exits_with_status_2_without_traceback():
    result = run("no-such-command")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_importing_benchlearn_does_not_import_numpy_or_pandas():
    code = (
        "import sys, benchlearn.cli.main; "
        "print(any(m in sys.modules for m in ('numpy', 'pandas', 'sklearn', 'marimo')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"
