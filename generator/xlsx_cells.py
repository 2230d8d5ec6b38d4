"""How the appendix's cells are made and written into the worksheet XML, faster than openpyxl's own way.

Most of the appendix's ~21,000 cells are plain numbers and dates down an exhibit's column. openpyxl
sets each one's value and number format through descriptors (a regular expression per date) and, when
saving, builds an XML element for each cell and serialises it; for a plain number both are a fixed
pattern. :func:`put_column` copies the first cell of each kind in a column (its data type and style)
to the others, and :func:`cells_written` writes a plain number or date cell as the text ElementTree
would have written. Every other cell (text, formulas, links, ISO dates) takes openpyxl's path. Both
give the same cells and the same bytes as openpyxl (tests/test_xlsx_cells.py); they rely on openpyxl's
cell internals and on et_xmlfile's writer (``xf._file``), whose versions requirements.lock pins.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from openpyxl.cell import _writer as cell_writer
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet import _writer as worksheet_writer
from openpyxl.worksheet.worksheet import Worksheet

_SAVE_LOCK = threading.Lock()  #: :func:`cells_written` patches openpyxl for the length of one save
_COPIED_KINDS = (int, float, date, datetime)  #: cells copied from the first of their kind (no text)


def exact_number(value: object, fallback: Callable[[object], str]) -> str:
    """Return a finite float as ``repr`` (shortest exact form), anything else as ``fallback`` gives it.

    openpyxl writes ``%.16g``, which drops the 17th significant digit (4.0549919023409045 becomes
    4.054991902340904), so the cells would not equal figures.json or the plotted data; Excel and
    LibreOffice read either.
    """
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return fallback(value)


def put_column(
    ws: Worksheet,
    column: int,
    first_row: int,
    values: Iterable[object],
    put: Callable[..., Cell],
    number_format: str | None = None,
) -> Iterator[Cell]:
    """Yield ``put(ws, row, column, value, number_format)`` for each of ``values`` from ``first_row`` down.

    ``values`` are what ``put`` stores (already converted for Excel). The first number, date or
    datetime of each type is put; the later ones of that type get its data type and a copy of its
    style, which is what ``put`` would give them. Empty values still create their (unstyled) cell.
    """
    kinds: dict[type, Cell] = {}
    cells = ws._cells
    for row, value in enumerate(values, start=first_row):
        kind = type(value)
        model = kinds.get(kind)
        if model is None or (row, column) in cells:
            cell = put(ws, row, column, value, number_format)
            if kind in _COPIED_KINDS:
                kinds[kind] = cell
        else:
            cell = Cell(ws, row=row, column=column, style_array=model._style)  # copied by the constructor
            cell._value = value
            cell.data_type = model.data_type
            ws._add_cell(cell)
        yield cell


@contextmanager
def cells_written() -> Iterator[None]:
    """While saving a workbook, write numbers exactly (:func:`exact_number`) and plain cells fast.

    A number or date cell without a link is written as the text openpyxl's ElementTree writer gives it:
    ``<c r="B9" s="3" t="n"><v>4.25</v></c>``, or ``<c r="B9" s="3" t="n" />`` without a value.
    """
    original_safe_string = cell_writer.safe_string
    original_write_cell = worksheet_writer.write_cell

    def safe_string(value: object) -> str:
        return exact_number(value, original_safe_string)

    def write_cell(xf: Any, worksheet: Worksheet, cell: Cell, styled: bool | None = None) -> None:
        data_type = cell.data_type
        if cell._hyperlink is not None or data_type not in ("n", "d"):
            return original_write_cell(xf, worksheet, cell, styled)
        value = cell._value
        if data_type == "d":
            workbook = worksheet.parent
            if workbook.iso_dates or getattr(value, "tzinfo", None) is not None:
                return original_write_cell(xf, worksheet, cell, styled)
            value = to_excel(value, workbook.epoch)
        style = f' s="{cell.style_id}"' if styled else ""
        start = f'<c r="{get_column_letter(cell.column)}{cell.row}"{style} t="n"'
        if value is None or value == "":
            xf._file(start + " />")
        else:
            xf._file(f"{start}><v>{safe_string(value)}</v></c>")
        return None

    with _SAVE_LOCK:
        cell_writer.safe_string = safe_string
        worksheet_writer.write_cell = write_cell
        try:
            yield
        finally:
            cell_writer.safe_string = original_safe_string
            worksheet_writer.write_cell = original_write_cell
