"""NY Fed ACM adapter: the cached sheet CSV, the NY Fed's CSV export, two-column copies, the workbook →
sheet → CSV step (plain rows, a tiny hand-built BIFF8 workbook through xlrd, an xlsx through
openpyxl), encode and fetch, and the shared ACM files."""

from __future__ import annotations

import datetime as dt
import io
import struct
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE
from generator.errors import DataError, SourceError
from generator.sources import fetch_file, nyfed, read_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nyfed"
DAILY = CATALOGUE["acm_tp10"]
MONTHLY = CATALOGUE["acm_tp10_monthly"]
WORKBOOK_PATH = "/medialibrary/media/research/data_indicators/ACMTermPremium.xls"


def _values(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["date"].dt.strftime("%Y-%m-%d"), frame["value"], strict=True))


# --- a minimal BIFF8 workbook stream (no OLE2 container; xlrd reads such streams), synthetic values


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _xf(format_key: int) -> bytes:
    return _record(0x00E0, struct.pack("<HHHBBBBIiH", 0, format_key, 0x0001, 0x20, 0, 0, 0, 0, 0, 0))


def _cell(row: int, col: int, value: object) -> bytes:
    if isinstance(value, str):
        return _record(0x0204, struct.pack("<HHHHB", row, col, 0, len(value), 0) + value.encode("latin-1"))
    if isinstance(value, dt.date):  # an Excel date cell: serial number with the date XF (index 1)
        serial = (value - dt.date(1899, 12, 30)).days
        return _record(0x0203, struct.pack("<HHHd", row, col, 1, float(serial)))
    return _record(0x0203, struct.pack("<HHHd", row, col, 0, float(value)))  # type: ignore[arg-type]


def _sheet(rows: list[list[object]]) -> bytes:
    width = max(len(row) for row in rows)
    body = _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    for r, row in enumerate(rows):
        body += b"".join(_cell(r, c, value) for c, value in enumerate(row) if value is not None)
    return _bof(0x0010) + body + _record(0x000A, b"")


def biff8_workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    """Return a BIFF8 workbook stream with text, number and date cells (XF 0 general, XF 1 m/d/yy)."""
    formats = _xf(0) + _xf(14)
    names = list(sheets)

    def boundsheet(offset: int, name: str) -> bytes:
        return _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 0) + name.encode("latin-1"))

    position = len(_bof(5)) + len(formats) + sum(len(boundsheet(0, n)) for n in names) + 4
    offsets, blobs = [], []
    for name in names:
        blob = _sheet(sheets[name])
        offsets.append(position)
        position += len(blob)
        blobs.append(blob)
    sheets_part = b"".join(boundsheet(o, n) for o, n in zip(offsets, names, strict=True))
    return _bof(5) + formats + sheets_part + _record(0x000A, b"") + b"".join(blobs)


WORKBOOK = biff8_workbook(
    {
        "ACM Monthly": [
            ["DATE", "ACMY10", "ACMTP10"],
            ["29-Jan-2032", 4.25, 0.75],
            ["27-Feb-2032", 4.5, 0.8],
        ],
        "ACM Daily": [
            ["DATE", "ACMY10", "ACMTP10", "ACMRNY10"],
            [dt.date(2032, 1, 5), 4.2, 0.512345, 3.687655],
            [dt.date(2032, 1, 6), 4.3, None, 3.7],
            [None, None, None, None],
            ["07-Jan-2032", 4.1, 0.498765, 3.601235],
        ],
    }
)


# --- reading


def test_cached_sheet_csv_round_trips_through_encode():
    frames = {
        "acm_tp10": pd.DataFrame(
            {"date": pd.to_datetime(["2032-01-05", "2032-01-06"]), "value": [0.1, -0.25]}
        )
    }
    body = nyfed.encode(frames, [DAILY])
    assert body == b"DATE,ACMTP10\n2032-01-05,0.1\n2032-01-06,-0.25\n"
    assert body == nyfed.encode(frames, [DAILY])
    assert _values(nyfed.read(body, DAILY, "daily.csv")) == {"2032-01-05": 0.1, "2032-01-06": -0.25}


def test_ny_fed_export_with_quoted_day_month_year_dates():
    values = _values(read_file(FIXTURES / "acm_monthly_export.csv", MONTHLY))
    assert values == {"2032-01-30": 0.75, "2032-02-27": 0.8, "2032-04-30": 0.65}  # empty March dropped


def test_the_code_picks_the_column():
    yields = _values(read_file(FIXTURES / "acm_monthly_export.csv", _with_code(MONTHLY, "ACMTP01")))
    assert yields == {"2032-01-30": 0.01, "2032-03-31": 0.02, "2032-04-30": 0.03}  # NA dropped


def test_two_column_copy_with_missing_token():
    values = _values(read_file(FIXTURES / "acm_daily_two_column.csv", DAILY))
    assert values == {"2032-01-05": 0.512345, "2032-01-06": 0.498765, "2032-01-08": 0.5}


def test_crlf_bom_and_newest_first_give_the_same_series():
    raw = (FIXTURES / "acm_daily_two_column.csv").read_bytes()
    lines = raw.decode().splitlines()
    reordered = ("\r\n".join([lines[0], *reversed(lines[1:])]) + "\r\n").encode()
    plain = read_file(FIXTURES / "acm_daily_two_column.csv", DAILY)
    parsed = read_file(Path("x.csv"), DAILY, raw=b"\xef\xbb\xbf" + reordered)
    # the same observations; only the line each was read from differs
    pd.testing.assert_frame_equal(parsed.drop(columns="line"), plain.drop(columns="line"))


def test_missing_column_is_an_error():
    with pytest.raises(DataError, match="no column ACMTP05") as caught:
        read_file(FIXTURES / "acm_monthly_export.csv", _with_code(MONTHLY, "ACMTP05"))
    assert caught.value.series == "acm_tp10_monthly"


def test_bad_date_and_bad_number_name_file_and_series():
    with pytest.raises(DataError, match="not a date") as caught:
        nyfed.read(b'"DATE","ACMTP10"\n"31-Foo-2032",0.5\n', MONTHLY, "acm.csv")
    assert caught.value.file == "acm.csv"
    assert caught.value.series == "acm_tp10_monthly"
    with pytest.raises(DataError, match="not a number") as caught:
        nyfed.read(b"date,value\n2032-01-05,0.5x\n", DAILY, "acm_daily.csv")
    assert caught.value.file == "acm_daily.csv"
    assert caught.value.series == "acm_tp10"


def _with_code(spec, code: str):
    from dataclasses import replace

    return replace(spec, code=code)


# --- the workbook → sheet → CSV step


def test_sheet_rows_to_csv_skips_titles_and_blank_rows():
    rows = [
        ["Treasury term premia", "", ""],
        ["", "", ""],
        ["DATE", "ACMY10", "ACMTP10", ""],
        [dt.datetime(2032, 1, 5), 4.2, 0.512345],
        ["", "", ""],
        ["06-Jan-2032", "4.3", ""],
        ["2032-01-07", 4.1, "NA"],
    ]
    csv_bytes = nyfed.sheet_to_csv(rows, DAILY, "ACMTermPremium.xls")
    assert csv_bytes == (b"DATE,ACMY10,ACMTP10\n2032-01-05,4.2,0.512345\n2032-01-06,4.3,\n2032-01-07,4.1,\n")
    assert _values(nyfed.read(csv_bytes, DAILY, "x")) == {"2032-01-05": 0.512345}


def test_sheet_rows_keep_full_float_precision():
    value = 0.1 + 0.2  # 0.30000000000000004
    csv_bytes = nyfed.sheet_to_csv([["DATE", "ACMTP10"], [dt.date(2032, 1, 5), value]], DAILY, "x")
    assert csv_bytes.endswith(b",0.30000000000000004\n")  # the workbook's float, written in full


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Date of estimate", "ACMTP10"]], "no header row"),
        ([["DATE", "ACMY10"], ["2032-01-05", 4.0]], "no column ACMTP10"),
        ([["DATE", "ACMTP10"], ["soon", 0.5]], "row 2 of the sheet: not a date"),
        ([["DATE", "ACMTP10"], ["2032-01-05", "high"]], "row 2 of the sheet: not a number"),
    ],
)
def test_sheet_rows_errors(rows, message):
    with pytest.raises(DataError, match=message) as caught:
        nyfed.sheet_to_csv(rows, DAILY, "ACMTermPremium.xls [ACM Daily]")
    assert caught.value.series == "acm_tp10"


def test_xlrd_reads_the_sheet_with_date_and_text_cells():
    rows = nyfed.workbook_sheet_rows(WORKBOOK, "ACM Daily", DAILY)
    assert rows[1][0] == dt.datetime(2032, 1, 5)
    assert rows[2][2] == ""
    assert rows[4][0] == "07-Jan-2032"
    csv_bytes = nyfed.sheet_to_csv(rows, DAILY, "wb")
    assert _values(nyfed.read(csv_bytes, DAILY, "wb")) == {"2032-01-05": 0.512345, "2032-01-07": 0.498765}


def test_missing_sheet_and_damaged_workbook_are_source_errors():
    with pytest.raises(SourceError, match="no sheet 'ACM Weekly'"):
        nyfed.workbook_sheet_rows(WORKBOOK, "ACM Weekly", DAILY)
    with pytest.raises(SourceError, match="not a readable Excel workbook"):
        nyfed.workbook_sheet_rows(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "ACM Daily", DAILY)


# --- fetch


def test_fetch_keeps_the_sheet_of_each_file(local_http, httpserver, tmp_path):
    httpserver.expect_request(WORKBOOK_PATH).respond_with_data(WORKBOOK)
    daily = fetch_file([DAILY], local_http, tmp_path)
    monthly = fetch_file([MONTHLY], local_http, tmp_path)
    assert daily.error is None
    assert monthly.error is None
    assert daily.last_date == "2032-01-07"
    assert monthly.last_date == "2032-02-27"
    cached = (tmp_path / "nyfed" / "ACMTermPremium_daily.csv").read_text()
    assert cached.splitlines()[0] == "DATE,ACMY10,ACMTP10,ACMRNY10"
    assert (tmp_path / "nyfed" / "ACMTermPremium_monthly.csv").read_text().splitlines()[
        1
    ] == "2032-01-29,4.25,0.75"
    assert len(httpserver.log) == 2  # one download per cached file


def test_fetch_reads_an_xlsx_workbook_too(local_http, httpserver):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "ACM Monthly"
    book["ACM Monthly"].append(["DATE", "ACMTP10"])
    daily = book.create_sheet("ACM Daily")
    daily.append(["Term premia, daily"])
    daily.append(["DATE", "ACMTP10"])
    daily.append([dt.datetime(2032, 1, 5), 0.5])
    buffer = io.BytesIO()
    book.save(buffer)
    httpserver.expect_request(WORKBOOK_PATH).respond_with_data(buffer.getvalue())
    assert nyfed.fetch([DAILY], local_http) == b"DATE,ACMTP10\n2032-01-05,0.5\n"


def test_fetch_rejects_a_truncated_text_copy(local_http, httpserver):
    httpserver.expect_request(WORKBOOK_PATH).respond_with_data(b"DATE,ACMTP10\n2032-01-05,0.5")
    with pytest.raises(SourceError, match="truncated"):
        nyfed.fetch([DAILY], local_http)


# --- the shared data


def test_shared_daily_spot_checks(shared_data):
    values = _values(read_file(shared_data / "yields" / "nyfed_ACMTP10_daily.csv", DAILY))
    assert len(values) == 16261
    assert values["2025-01-14"] == 0.670385
    assert values["2025-02-07"] == 0.308035
    assert values["2025-01-31"] == 0.489486


def test_shared_monthly_export(shared_data):
    path = shared_data / "yields" / "nyfed_ACMTermPremium_monthly.csv"
    frame = read_file(path, MONTHLY)
    assert len(frame) == 769
    assert frame["date"].iloc[0] == pd.Timestamp("1961-06-30")
    assert frame["date"].iloc[-1] == pd.Timestamp("2025-06-30")
    values = _values(frame)
    assert round(values["2025-01-31"], 3) == 0.502
    yields = _values(read_file(path, _with_code(MONTHLY, "ACMY10")))
    risk_neutral = _values(read_file(path, _with_code(MONTHLY, "ACMRNY10")))
    assert round(yields["2025-01-31"], 3) == 4.594
    assert yields["2025-01-31"] == pytest.approx(values["2025-01-31"] + risk_neutral["2025-01-31"], abs=1e-12)
