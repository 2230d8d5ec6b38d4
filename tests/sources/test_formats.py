"""Shared reading helpers of the adapters (generator/sources/formats.py)."""

from __future__ import annotations


def test_a_table_parsed_again_is_a_copy_each_series_may_edit():
    from generator.catalogue import CATALOGUE
    from generator.sources.formats import read_csv_text

    spec = CATALOGUE["mspd_bills"]
    text = "date,value\n2025-01-31,1.5\n2025-02-28,2.5\n"
    first = read_csv_text(text, spec, "a.csv", dtype=str)
    first.loc[first.index[0], "value"] = "edited"
    first.columns = ["d", "v"]
    again = read_csv_text(text, spec, "a.csv", dtype=str)
    assert list(again.columns) == ["date", "value"]
    assert again["value"].tolist() == ["1.5", "2.5"]
    assert again.index.name == "line"
    assert again.index.tolist() == [2, 3]
    other = read_csv_text(text, spec, "a.csv")  # other options: parsed on their own
    assert other["value"].tolist() == [1.5, 2.5]
