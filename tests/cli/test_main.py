"""The `benchlearn` entry point: version, unknown commands, help pages and a fast start-up."""

import subprocess
import sys

import pytest

import benchlearn

HELP_PAGES = [["--help"], ["fit", "--help"], ["curve", "--help"], ["datasets", "--help"],
              ["lesson", "--help"]]  # fmt: skip


def test_version_prints_the_package_version(cli):
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"benchlearn {benchlearn.__version__}"


def test_unknown_command_exits_with_status_2_without_traceback(cli):
    result = cli("no-such-command")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_importing_benchlearn_does_not_import_numpy_or_pandas():
    code = (
        "import sys, benchlearn.cli.main; "
        "print(any(m in sys.modules for m in ('numpy', 'pandas', 'sklearn', 'marimo')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"


def test_help_pages_load_no_numerical_library_so_they_start_fast():
    # One fresh process shows every help page: if none of them imported a numerical library,
    # none does on its own. Start-up time itself is measured in benchmarks/bench_startup.py.
    code = (
        "import sys\n"
        "from benchlearn.cli.main import main\n"
        f"for args in {HELP_PAGES!r}:\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "heavy = ('numpy', 'pandas', 'sklearn', 'marimo', 'matplotlib', 'scipy')\n"
        "print('HEAVY', sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.count("Usage") == len(HELP_PAGES)
    assert "HEAVY []" in result.stdout, result.stdout[-300:]


def test_help_text_is_reflowed_and_keeps_square_brackets(cli):
    # Markdown help: docstring lines join into paragraphs, and "[dask]" is not eaten as markup.
    result = cli("fit", "--help", columns=200)
    assert "benchlearn[dask]" in result.stdout
    assert "You get the parameter table with standard errors" in result.stdout


@pytest.mark.parametrize("args", [["fit", "--help"], ["curve", "--help"], ["lesson", "--help"]])
def test_on_off_flags_are_not_shown_as_taking_a_value(cli, args):
    lines = cli(*args).stdout.splitlines()
    flags = [line for line in lines if "--force" in line or "--drop-missing" in line]
    assert flags
    assert not any("<bool>" in line for line in flags)
