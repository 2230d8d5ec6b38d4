"""Shared reading helpers of the adapters (generator/sources/formats.py)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE
from generator.errors import DataError
from generator.sources.formats import row_lines, to_numbers

SPEC = CATALOGUE["ust10y"]


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


@pytest.mark.parametrize(
    "text",
    [
        "date,value\n2024-01-02,4.1\n2024-01-03,4.2\n",  # the usual file: every line a row
        "date,value\n2024-01-02,4.1\n2024-01-03,4.2",  # no line break at the end
        "date,value\n2024-01-02,4.1\n\n2024-01-03,4.2\n",  # a blank line
        "date,value\n2024-01-02,4.1\n \t\n2024-01-03,4.2\n\n",  # white space only, blank last lines
        "date,value\r\n2024-01-02,4.1\r\n\r\n2024-01-03,4.2\r\n",  # Windows line ends
        "date,value\n2024-01-02,4.1\n\u3000\n",  # an ideographic space is white space too
        "",
        "\n",
    ],
)
def test_row_lines_numbers_the_lines_that_are_not_blank(text: str):
    expected = [number for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1) if line.strip()]
    assert list(row_lines(text)) == expected


def test_to_numbers_sets_missing_tokens_aside_and_still_names_a_bad_cell():
    values = pd.Series(["4.1", ".", "", "4.25"])
    numbers = to_numbers(values, SPEC, "f.csv", missing=(".",))
    assert numbers.tolist()[0::3] == [4.1, 4.25]
    assert numbers.isna().tolist() == [False, True, True, False]
    with pytest.raises(DataError, match=r"not a number: 'n/a' \(row 2"):
        to_numbers(pd.Series(["4.1", "n/a", "."]), SPEC, "f.csv", missing=(".",))
