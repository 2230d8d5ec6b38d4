"""The appendix's fast cells (generator/xlsx_cells.py) give the cells and bytes openpyxl's own path gives."""

from __future__ import annotations

import io
import zipfile
from contextlib import contextmanager
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import _writer as cell_writer
from openpyxl.worksheet import _writer as worksheet_writer
from openpyxl.writer.excel import ExcelWriter

from generator import appendix, xlsx_cells
from generator.appendix import excel_value, put
from generator.xlsx_cells import cells_written, exact_number, put_column
from tests.test_appendix import _book

#: every kind of value a column may hold: numbers (one beyond %.16g), dates, datetimes, gaps, booleans,
#: text (one that looks like a formula), pandas and numpy values
COLUMN = [
    4.0549919023409045,
    -12.5,
    None,
    7,
    float("nan"),
    date(2024, 3, 8),
    pd.Timestamp("2024-03-11"),
    datetime(2024, 3, 12, 15, 30),
    True,
    "text",
    "=SUM(A1)",
    1e-9,
    10**17,
    4.25,
    date(2024, 3, 15),
]


def _openpyxl_bytes(workbook: Workbook) -> bytes:
    """Save with openpyxl's own cell writer (numbers exact, as the appendix always wrote them)."""
    buffer = io.BytesIO()
    original = cell_writer.safe_string
    cell_writer.safe_string = lambda value: exact_number(value, original)
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            ExcelWriter(workbook, archive).save()
    finally:
        cell_writer.safe_string = original
    return _entries(buffer.getvalue())


def _fast_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    with cells_written(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        ExcelWriter(workbook, archive).save()
    return _entries(buffer.getvalue())


def _entries(raw: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return b"\0".join(archive.read(name) for name in sorted(archive.namelist()) if "core.xml" not in name)


def _sheet(fast: bool, number_format: str | None = "0.00") -> Workbook:
    workbook = Workbook()
    ws = workbook.active
    stored = [excel_value(value) for value in COLUMN]
    if fast:
        list(put_column(ws, 2, 3, stored, put, number_format))
    else:
        for row, value in enumerate(stored, start=3):
            put(ws, row, 2, value, number_format)
    put(ws, 1, 1, "header")
    ws.cell(row=2, column=2).hyperlink = "#Sheet!A1"  # a linked cell takes openpyxl's path
    ws.cell(row=2, column=2).value = 3.5
    ws.cell(row=30, column=3).number_format = "0.0"  # a styled cell without a value
    return workbook


@pytest.mark.parametrize("number_format", ["0.00", None])
def test_put_column_makes_the_cells_put_makes(number_format: str | None) -> None:
    fast, slow = _sheet(True, number_format).active, _sheet(False, number_format).active
    assert sorted(fast._cells) == sorted(slow._cells)
    for key, cell in slow._cells.items():
        other = fast._cells[key]
        assert (other._value, other.data_type) == (cell._value, cell.data_type)
        assert other.number_format == cell.number_format
        assert tuple(other._style or ()) == tuple(cell._style or ())
    assert fast._current_row == slow._current_row


def test_put_column_copies_no_style_between_cells() -> None:
    ws = _sheet(True).active
    first, later = ws.cell(row=3, column=2), ws.cell(row=4, column=2)
    assert first._style is not later._style
    later.number_format = "0.0000"
    assert first.number_format == "0.00"


def test_fast_writer_writes_the_bytes_openpyxl_writes() -> None:
    assert _fast_bytes(_sheet(True)) == _openpyxl_bytes(_sheet(False))


def test_fast_writer_is_undone_after_saving() -> None:
    before = (cell_writer.safe_string, worksheet_writer.write_cell)
    _fast_bytes(_sheet(True))
    assert (cell_writer.safe_string, worksheet_writer.write_cell) == before


def test_the_appendix_is_what_openpyxls_own_path_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = appendix.appendix_bytes(_book())

    def one_by_one(ws, column, first_row, values, put, number_format=None):
        return [put(ws, row, column, value, number_format) for row, value in enumerate(values, first_row)]

    def exact_numbers_only():
        original = cell_writer.safe_string
        cell_writer.safe_string = lambda value: exact_number(value, original)
        try:
            yield
        finally:
            cell_writer.safe_string = original

    monkeypatch.setattr(appendix, "put_column", one_by_one)
    monkeypatch.setattr(appendix, "cells_written", contextmanager(exact_numbers_only))
    assert appendix.appendix_bytes(_book()) == fast
    assert xlsx_cells.cells_written is not appendix.cells_written


def test_fast_cells_read_back() -> None:
    raw = io.BytesIO()
    with cells_written():
        _sheet(True).save(raw)
    ws = load_workbook(raw).active
    assert ws.cell(row=3, column=2).value == 4.0549919023409045
    assert ws.cell(row=8, column=2).value == datetime(2024, 3, 8)
    assert ws.cell(row=8, column=2).number_format == appendix.DATE_FORMAT
    assert ws.cell(row=10, column=2).value == datetime(2024, 3, 12, 15, 30)
    assert ws.cell(row=13, column=2).value == "=SUM(A1)"
    assert ws.cell(row=13, column=2).data_type == "s"
    assert ws.cell(row=2, column=2).value == 3.5
    assert ws.cell(row=2, column=2).hyperlink is not None
