"""The `benchlearn` entry point: version, unknown commands, help pages and a fast start-up."""

import json
import os
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


HEAVY = ("numpy", "pandas", "sklearn", "marimo", "matplotlib", "scipy")


@pytest.fixture(scope="module")
def fresh_process() -> dict:
    """What a new interpreter had loaded after importing the entry point, then after showing
    every help page (one process for both; start-up time itself is benchmarks/bench_startup.py).
    """
    code = (
        "import json, sys\n"
        f"heavy = {HEAVY!r}\n"
        "import benchlearn.cli.main\n"
        "after_import = sorted(m for m in heavy if m in sys.modules)\n"
        "from benchlearn.cli.main import main\n"
        f"for args in {HELP_PAGES!r}:\n"
        "    try:\n        main(args)\n    except SystemExit:\n        pass\n"
        "print(json.dumps({'after_import': after_import,\n"
        "                  'after_help': sorted(m for m in heavy if m in sys.modules)}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    *pages, loaded = result.stdout.rstrip().splitlines()
    return {"pages": "\n".join(pages), **json.loads(loaded)}


def test_importing_benchlearn_does_not_import_numpy_or_pandas(fresh_process):
    assert fresh_process["after_import"] == []


def test_help_pages_load_no_numerical_library_so_they_start_fast(fresh_process):
    # If none of the help pages imported a numerical library, none does on its own.
    assert fresh_process["pages"].count("Usage") == len(HELP_PAGES)
    assert fresh_process["after_help"] == []


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


# ---------------------------------------------------------------- the net for the unexpected
def test_an_unexpected_exception_is_a_short_message_with_exit_status_3(
    tmp_path, monkeypatch, capsys
):
    import benchlearn.data
    from benchlearn.cli.main import main

    def broken(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(benchlearn.data, "read_table", broken)
    monkeypatch.delenv("BENCHLEARN_DEBUG", raising=False)
    data = tmp_path / "a.csv"
    data.write_text("x,y\n1,2\n2,3\n3,5\n")
    with pytest.raises(SystemExit) as done:
        main(["fit", str(data), "--y", "y"])
    assert done.value.code == 3
    err = capsys.readouterr().err
    assert "unexpected problem (ZeroDivisionError: float division by zero)" in err
    assert "bug in benchlearn" in err and "BENCHLEARN_DEBUG=1" in err
    assert "Traceback" not in err


def test_user_errors_keep_exit_status_2(tmp_path, capsys):
    from benchlearn.cli.main import main

    with pytest.raises(SystemExit) as done:
        main(["fit", str(tmp_path / "missing.csv"), "--y", "y"])
    assert done.value.code == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_file_name_starting_with_a_dash_gets_a_hint(tmp_path, monkeypatch, cli):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-data.csv").write_text("x,y\n1,2\n2,3\n3,5\n")
    result = cli("fit", "-data.csv", "--y", "y")
    assert result.returncode == 2
    assert "write it as ./-data.csv" in result.stderr


def test_a_console_that_cannot_show_sigma_gets_a_replacement_not_a_crash():
    code = (
        "import sys, io\n"
        "sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding='cp1252')\n"
        "from benchlearn.cli.main import _tolerant_console_streams\n"
        "_tolerant_console_streams()\n"
        "print('σ = 0.1')\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(sys.stdout.buffer.getvalue().decode('cp1252'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "? = 0.1" in result.stderr


# ---------------------------------------------------------------- a run's outputs and inputs
def _main(*args: str) -> int:
    from benchlearn.cli.main import main

    try:
        main(list(args))
    except SystemExit as done:
        return int(done.code or 0)
    return 0


LINE = "x,y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n5,10.1\n"


@pytest.mark.parametrize("option", ["--report", "--json"])
@pytest.mark.parametrize("spelling", ["data.csv", "./sub/../data.csv", "link.csv"])
def test_no_output_replaces_the_input_even_with_force(tmp_path, monkeypatch, capsys, option,
                                                      spelling):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    data = tmp_path / "data.csv"
    data.write_text(LINE)
    os.link(data, tmp_path / "link.csv")
    assert _main("fit", "data.csv", "--y", "y", option, spelling, "--force") == 2
    assert "would replace an input file" in capsys.readouterr().err
    assert data.read_text() == LINE


def test_curve_unknowns_file_is_an_input_too(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "std.csv").write_text("conc,A\n0,0.05\n1,0.26\n2,0.44\n4,0.86\n8,1.71\n")
    (tmp_path / "unk.csv").write_text("sample,A\nS1,0.5\nS2,0.9\n")
    code = _main("curve", "std.csv", "--x", "conc", "--y", "A", "--unknowns", "unk.csv",
                 "--report", "unk.csv", "--force")  # fmt: skip
    assert code == 2
    assert "would replace an input file" in capsys.readouterr().err
    assert (tmp_path / "unk.csv").read_text() == "sample,A\nS1,0.5\nS2,0.9\n"


def test_outputs_are_written_together_or_not_at_all(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.csv").write_text(LINE)
    assert _main("fit", "data.csv", "--y", "y", "--json", "ok.json",
                 "--report", "nodir/r.html") == 2  # fmt: skip
    assert not (tmp_path / "ok.json").exists()
    assert _main("fit", "data.csv", "--y", "y", "--json", "same.out",
                 "--report", "same.out") == 2  # fmt: skip
    assert "given twice" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


def test_decimal_option_settles_an_ambiguous_column(tmp_path, monkeypatch, capsys):
    import json

    monkeypatch.chdir(tmp_path)
    (tmp_path / "rfu.tsv").write_text("conc\tRFU\n1\t12,345\n2\t23,456\n3\t35,012\n4\t46,000\n")
    assert _main("fit", "rfu.tsv", "--y", "RFU") == 2
    err = capsys.readouterr().err
    assert "'12,345' could be 12345" in err and "--decimal" in err
    assert _main("fit", "rfu.tsv", "--y", "RFU", "--decimal", ".", "--json", "fit.json") == 0
    payload = json.loads((tmp_path / "fit.json").read_text())
    assert payload["n_samples"] == 4
    assert payload["parameters"][1]["name"] == "conc"
    assert _main("fit", "rfu.tsv", "--y", "RFU", "--decimal", ";") == 2
    assert "must be '.' or ','" in capsys.readouterr().err


def test_stream_fits_a_decimal_comma_file_with_a_preamble_like_the_in_memory_fit(
    tmp_path, monkeypatch
):
    import json

    monkeypatch.chdir(tmp_path)
    rows = "".join(f"{i},5;{0.2 * i + 0.013 * (i % 3):.4f}\n".replace(".", ",")
                   for i in range(1, 30))  # fmt: skip
    (tmp_path / "platte.csv").write_text("Gerät: Tecan Spark\nDatum: 02.11.2026\n\nKonz;Signal\n"
                                         + rows)  # fmt: skip
    assert _main("fit", "platte.csv", "--y", "Signal", "--json", "memory.json") == 0
    assert _main("fit", "platte.csv", "--y", "Signal", "--stream", "--json", "stream.json") == 0
    memory = json.loads((tmp_path / "memory.json").read_text())
    stream = json.loads((tmp_path / "stream.json").read_text())
    assert memory["n_samples"] == stream["n_samples"] == 29
    for a, b in zip(memory["parameters"], stream["parameters"], strict=True):
        assert a["name"] == b["name"]
        assert abs(a["estimate"] - b["estimate"]) <= 1e-12 * max(1.0, abs(a["estimate"]))
