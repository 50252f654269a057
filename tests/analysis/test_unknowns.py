"""Unknowns grouped into samples: every row is in a sample or named in a refusal."""

from __future__ import annotations

import pandas as pd
import pytest

from benchlearn.analysis.unknowns import unknown_samples
from benchlearn.errors import DataError


def frame(data: dict, first_row: int = 2) -> pd.DataFrame:
    out = pd.DataFrame(data)
    out.index = pd.RangeIndex(first_row, first_row + len(out), name="row")
    out.attrs["source"] = "unk.csv"
    return out


def test_replicate_rows_of_a_sample_are_averaged_in_order_of_first_appearance():
    samples = unknown_samples(frame({"sample": ["b", "a", "b"], "A562": [0.2, 0.5, 0.4]}), "A562")
    assert samples["sample"].tolist() == ["b", "a"]
    assert samples["mean"].tolist() == pytest.approx([0.3, 0.5])
    assert samples["count"].tolist() == [2, 1]


def test_numeric_sample_ids_are_names_so_replicates_of_101_are_averaged():
    table = frame({"sample": [101, 101, 102], "A562": [0.2, 0.4, 0.9]})
    samples = unknown_samples(table, "A562")
    assert samples["sample"].tolist() == ["101", "102"]
    assert samples["count"].tolist() == [2, 1]
    assert samples["mean"].tolist() == pytest.approx([0.3, 0.9])


def test_a_numeric_id_column_named_explicitly_reads_as_whole_numbers():
    table = frame({"well": [1.0, 1.0, 2.0], "A562": [0.2, 0.4, 0.9]})
    samples = unknown_samples(table, "A562", sample_column="well")
    assert samples["sample"].tolist() == ["1", "2"]


def test_without_a_name_column_each_row_is_its_own_sample():
    samples = unknown_samples(frame({"A562": [0.2, 0.2]}), "A562")
    assert samples["sample"].tolist() == ["row 2", "row 3"]
    assert samples["count"].tolist() == [1, 1]


def test_an_empty_signal_is_refused_naming_its_row_and_sample_rather_than_dropped():
    table = frame({"sample": ["a", "b", "c"], "A562": [0.2, None, 0.4]})
    with pytest.raises(DataError) as raised:
        unknown_samples(table, "A562")
    message = raised.value.message
    assert "row 3" in message and "(b)" in message and "no signal" in message
    assert "unk.csv" in message


def test_blank_sample_names_are_refused_naming_the_rows_rather_than_averaged_together():
    table = frame({"sample": ["a", None, " ", "a"], "A562": [0.2, 0.3, 0.9, 0.4]})
    with pytest.raises(DataError) as raised:
        unknown_samples(table, "A562")
    assert "rows 3, 4" in raised.value.message
    assert "no sample name" in raised.value.message


def test_a_sample_column_that_does_not_exist_is_a_usage_error_listing_the_columns():
    from benchlearn.errors import UsageError

    with pytest.raises(UsageError, match=r"`name`.*`sample`, `A562`"):
        unknown_samples(frame({"sample": ["a"], "A562": [0.2]}), "A562", sample_column="name")
