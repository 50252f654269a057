"""R's DNase and Puromycin tables, shipped as CSV with their sources and licence."""

from __future__ import annotations

from benchlearn.data import list_datasets, load_dataset, load_dnase, load_puromycin


def test_dnase_is_eleven_elisa_runs_of_eight_duplicated_standards():
    data = load_dnase()
    frame = data.frame
    assert list(frame.columns) == ["Run", "conc", "density"]
    assert frame.shape == (176, 3)
    assert sorted(frame["Run"].unique()) == list(range(1, 12))
    assert frame.groupby("Run").size().eq(16).all()
    assert frame["conc"].min() == 0.04882812 and frame["conc"].max() == 12.5
    assert "Davidian" in data.citation and "GPL" in data.source


def test_puromycin_has_twelve_treated_and_eleven_untreated_reactions():
    data = load_puromycin()
    counts = data.frame["state"].value_counts()
    assert (counts["treated"], counts["untreated"]) == (12, 11)
    first = data.frame.iloc[0]
    assert (first["conc"], first["rate"], first["state"]) == (0.02, 76, "treated")
    assert "Treloar" in data.citation and "Bates" in data.citation


def test_both_are_listed_and_load_by_name():
    names = set(list_datasets()["name"])
    assert {"dnase", "puromycin"} <= names
    assert load_dataset("dnase").target == "density"
