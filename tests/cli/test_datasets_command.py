"""`benchlearn datasets`: list, show and export the bundled and simulated datasets."""

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def run(cli):
    """``benchlearn datasets ARGS`` in-process (tests/conftest.py)."""
    return lambda *args, **options: cli("datasets", *args, **options)


def test_list_names_every_dataset(run):
    result = run("list")
    assert result.returncode == 0
    for name in ["diabetes", "breast_cancer", "protein_assay", "qpcr_standard_curve"]:
        assert name in result.stdout


def test_show_describes_columns_units_and_source(run):
    result = run("show", "protein_assay")
    assert result.returncode == 0
    assert "absorbance at 562 nm" in result.stdout and "µg/mL" in result.stdout
    assert "Smith" in result.stdout


def test_export_writes_the_table_and_refuses_to_overwrite(tmp_path, run):
    out = tmp_path / "qpcr.csv"
    assert run("export", "qpcr_standard_curve", str(out)).returncode == 0
    assert list(pd.read_csv(out).columns) == ["copies", "log10_copies", "ct"]
    out.write_text("my own notes")
    refused = run("export", "qpcr_standard_curve", str(out))
    assert refused.returncode == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert out.read_text() == "my own notes"
    assert run("export", "qpcr_standard_curve", str(out), "--force").returncode == 0


def test_unknown_dataset_exits_2_with_a_suggestion_and_no_traceback(run):
    result = run("show", "diabetis")
    assert result.returncode == 2
    assert "did you mean 'diabetes'" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_prints_the_first_rows_of_a_wide_table_with_its_last_column(run):
    result = run("show", "breast_cancer", "--rows", "2")
    assert result.returncode == 0
    assert "first 2 of 569 rows" in result.stdout
    assert (
        "17.99" in result.stdout and "diagnosis" in result.stdout and "malignant" in result.stdout
    )


def test_export_to_a_folder_exits_2_even_with_force(tmp_path, run):
    result = run("export", "diabetes", str(tmp_path), "--force")
    assert result.returncode == 2
    assert "folder, not a file name" in result.stderr and "diabetes.csv" in result.stderr
    assert "Traceback" not in result.stderr


def test_measured_datasets_are_listed_and_shown_with_their_licence_in_process(tmp_path):
    from typer.testing import CliRunner

    from benchlearn.cli.main import _register_commands, app

    _register_commands()
    runner = CliRunner()
    listed = runner.invoke(app, ["datasets", "list"], env={"COLUMNS": "200"})
    for name in ["solubility", "chembl2321810", "gse7390", "pbmc68k", "nuclei_image"]:
        assert name in listed.output
    shown = runner.invoke(app, ["datasets", "show", "chembl2321810"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0
    assert "Licence:" in shown.output and "CC BY-SA 3.0" in shown.output
    wide = runner.invoke(app, ["datasets", "show", "pbmc68k"], env={"COLUMNS": "200"})
    assert "746 more columns like those above" in wide.output  # not 770 rows of genes
    out = tmp_path / "gse7390.csv"
    exported = runner.invoke(app, ["datasets", "export", "gse7390", str(out)])
    assert exported.exit_code == 0
    assert pd.read_csv(out).shape == (198, 83)
