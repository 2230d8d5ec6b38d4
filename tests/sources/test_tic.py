"""TIC adapter: the holdings history in yearly blocks (series breaks, footnote marks, quoted labels),
SLT Table 4 and the s1_globl history (opposite labelling, one sign convention), encode and fetch, and
the shared TIC files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import CATALOGUE
from generator.errors import DataError, SourceError
from generator.sources import fetch_file, read_file, tic

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tic"
TOTAL = CATALOGUE["foreign_holdings"]
JAPAN = CATALOGUE["foreign_holdings_japan"]
CHINA = CATALOGUE["foreign_holdings_china"]
NET_LT = CATALOGUE["tic_net_lt_purchases"]
NET_TREASURY = CATALOGUE["tic_net_treasury_purchases"]


def _values(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["date"].dt.strftime("%Y-%m-%d"), frame["value"], strict=True))


def _read_fixture(name: str, spec, transform=lambda raw: raw) -> pd.DataFrame:
    raw = transform((FIXTURES / name).read_bytes())
    return read_file(FIXTURES / name, spec, raw=raw)


# --- holdings history (mfhhis01)


def test_holdings_blocks_are_dated_at_month_end_and_joined_across_years():
    values = _values(_read_fixture("mfhhis01_small.txt", TOTAL))
    assert len(values) == 15  # 12 months of 2030 (June once) + 3 of 2031
    assert values["2031-03-31"] == 240.6
    assert values["2031-01-31"] == 239.65
    assert values["2030-12-31"] == 185
    assert values["2030-01-31"] == 140


def test_series_break_keeps_the_newer_left_hand_column():
    assert _values(_read_fixture("mfhhis01_small.txt", TOTAL))["2030-06-30"] == 173  # not 150 (old series)
    assert _values(_read_fixture("mfhhis01_small.txt", JAPAN))["2030-06-30"] == 101
    assert _values(_read_fixture("mfhhis01_small.txt", CHINA))["2030-06-30"] == 62


def test_quoted_padded_labels_and_missing_cells():
    values = _values(_read_fixture("mfhhis01_small.txt", CHINA))  # '"China, Mainland "' in 2030
    assert values["2030-05-31"] == 49
    assert "2031-02-28" not in values  # n.a.
    assert values["2031-03-31"] == 70


def test_footnote_marks_and_less_than_50_million():
    uk = replace(JAPAN, key="holdings_uk", code="United Kingdom")
    values = _values(_read_fixture("mfhhis01_small.txt", uk))  # row label "United Kingdom 2/"
    assert values == {"2031-01-31": 39.9, "2031-02-28": 0.0, "2031-03-31": 40.1}


def test_grand_total_also_matches_a_row_labelled_total():
    relabelled = lambda raw: raw.replace(b"Grand Total\t", b"Total\t")  # noqa: E731
    frame = _read_fixture("mfhhis01_small.txt", TOTAL, relabelled)
    assert _values(frame)["2031-03-31"] == 240.6


@pytest.mark.parametrize(
    "transform",
    [
        lambda raw: raw.replace(b"\n", b"\r\n"),
        lambda raw: b"\xef\xbb\xbf" + raw,
    ],
    ids=["crlf", "bom"],
)
def test_holdings_crlf_and_bom(transform):
    plain = _read_fixture("mfhhis01_small.txt", JAPAN)
    pd.testing.assert_frame_equal(_read_fixture("mfhhis01_small.txt", JAPAN, transform), plain)


def test_holdings_bad_number_names_file_line_and_series():
    broken = lambda raw: raw.replace(b"Japan\t110.5", b"Japan\t11O.5")  # noqa: E731
    with pytest.raises(DataError, match=r"11O\.5") as caught:
        _read_fixture("mfhhis01_small.txt", JAPAN, broken)
    assert caught.value.file.endswith("mfhhis01_small.txt")
    assert caught.value.line == 9
    assert caught.value.series == "foreign_holdings_japan"


def test_block_without_year_row_is_an_error():
    broken = lambda raw: raw.replace(b"Country\t2031\t2031\t2031", b"\t\t\t")  # noqa: E731
    with pytest.raises(DataError, match="no 'Country' row") as caught:
        _read_fixture("mfhhis01_small.txt", TOTAL, broken)
    assert caught.value.series == "foreign_holdings"


def test_unknown_holder_is_an_error():
    atlantis = replace(JAPAN, key="holdings_atlantis", code="Atlantis")
    with pytest.raises(DataError, match="no row 'Atlantis'"):
        _read_fixture("mfhhis01_small.txt", atlantis)


def test_flow_code_on_the_holdings_file_is_an_error():
    with pytest.raises(DataError, match="transactions series"):
        _read_fixture("mfhhis01_small.txt", NET_LT)


def test_text_that_is_no_tic_table_is_an_error():
    with pytest.raises(DataError, match="not a TIC file") as caught:
        tic.read(b"a,b\n1,2\n", TOTAL, "odd.txt")
    assert caught.value.file == "odd.txt"


def test_html_page_is_rejected():
    with pytest.raises(DataError, match="HTML"):
        tic.read(b"<!DOCTYPE html><html><body>Error</body></html>", TOTAL, "mfhhis01.txt")


# --- SLT Table 4 (US-side labels)


def test_slt_net_foreign_purchases_are_sales_minus_purchases():
    assert _values(_read_fixture("slt_table4_small.txt", NET_LT)) == {
        "2031-01-31": 100.0,
        "2031-02-28": -100.0,
        "2031-03-31": 1250.0,
    }
    assert _values(_read_fixture("slt_table4_small.txt", NET_TREASURY)) == {
        "2031-01-31": 50.0,
        "2031-02-28": -100.0,
        "2031-03-31": 500.0,
    }


def test_slt_rows_other_than_grand_total_are_ignored_and_order_is_ascending():
    frame = _read_fixture("slt_table4_small.txt", NET_LT)  # the file is newest first, with a country row
    assert frame["date"].is_monotonic_increasing
    assert len(frame) == 3


def test_slt_missing_values_drop_the_month():
    gap = lambda raw: raw.replace(b"2031-02\t5300\t4000", b"2031-02\tn.a.\t4000")  # noqa: E731
    assert "2031-02-28" not in _values(_read_fixture("slt_table4_small.txt", NET_LT, gap))
    assert "2031-02-28" in _values(_read_fixture("slt_table4_small.txt", NET_TREASURY, gap))


def test_slt_bad_date_names_the_line():
    broken = lambda raw: raw.replace(b"99996\t2031-02", b"99996\t2031-2x")  # noqa: E731
    with pytest.raises(DataError, match="not a month") as caught:
        _read_fixture("slt_table4_small.txt", NET_LT, broken)
    assert caught.value.line == 11
    assert caught.value.series == "tic_net_lt_purchases"


def test_slt_holdings_code_is_an_error():
    with pytest.raises(DataError, match="no series 'Japan'"):
        _read_fixture("slt_table4_small.txt", JAPAN)


# --- s1_globl history (foreigners' labels)


def test_s1_net_is_purchases_minus_sales_by_foreigners():
    assert _values(_read_fixture("s1_globl_small.csv", NET_LT)) == {"2022-11-30": -120.0, "2022-12-31": 150.0}
    assert _values(_read_fixture("s1_globl_small.csv", NET_TREASURY)) == {
        "2022-11-30": -50.0,
        "2022-12-31": 100.0,
    }


def test_s1_bad_number_is_an_error():
    broken = lambda raw: raw.replace(b'"2,500"', b'"2,5O0"')  # noqa: E731
    with pytest.raises(DataError, match="2,5O0") as caught:
        _read_fixture("s1_globl_small.csv", NET_LT, broken)
    assert caught.value.line == 8


# --- encode and fetch


def _monthly(values: list[float | None], start: str = "2029-11-30") -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range(start, periods=len(values), freq="ME"), "value": values})


def test_holdings_encode_writes_yearly_blocks_and_round_trips():
    specs = [TOTAL, JAPAN, CHINA]
    frames = {
        "foreign_holdings": _monthly([9000.5, 9010.25, 9020.0, 9030.75]),
        "foreign_holdings_japan": _monthly([1100.1, None, 1102.3, 1103.4]),
        "foreign_holdings_china": _monthly([700.0, 701.0, 702.0, 703.0]),
    }
    body = tic.encode(frames, specs)
    assert body == tic.encode(frames, specs)  # deterministic
    text = body.decode()
    assert text.index("Country\t2030") < text.index("Country\t2029")  # newest block first
    assert '"China, Mainland"' in text
    for spec in specs:
        frame = tic.read(body, spec, "mfhhis01.txt")
        expected = frames[spec.key].dropna()
        assert frame["value"].tolist() == expected["value"].tolist()
        assert frame["date"].tolist() == expected["date"].tolist()


def test_slt_encode_keeps_the_table_identities_and_round_trips():
    specs = [NET_LT, NET_TREASURY]
    frames = {
        "tic_net_lt_purchases": _monthly([1250.5, -100.0, 70000.0]),
        "tic_net_treasury_purchases": _monthly([500.25, -300.0, 1.0]),
    }
    body = tic.encode(frames, specs)
    assert b"\r\n" in body  # CRLF
    assert body.index(b"2030-01") < body.index(b"2029-12")  # newest first
    for spec in specs:
        assert tic.read(body, spec, "slt_table4.txt")["value"].tolist() == frames[spec.key]["value"].tolist()
    rows = [line.split("\t") for line in body.decode().splitlines() if line.startswith("Grand Total")]
    header = next(line for line in body.decode().splitlines() if line.startswith("country\t")).split("\t")
    for row in rows:
        record = dict(zip(header, row, strict=True))
        parts = sum(float(record[f"for_lt_{part}_sale"]) for part in ("treas", "agcy", "corp", "eqty"))
        assert float(record["for_lt_total_sale"]) == pytest.approx(parts)


def test_fetch_downloads_the_endpoint_once(local_http, httpserver, tmp_path):
    body = (FIXTURES / "slt_table4_small.txt").read_bytes()
    httpserver.expect_request(
        "/resource-center/data-chart-center/tic/Documents/slt_table4.txt"
    ).respond_with_data(body)
    result = fetch_file([NET_LT, NET_TREASURY], local_http, tmp_path)
    assert result.error is None
    assert result.last_date == "2031-03-31"
    assert (tmp_path / "tic" / "slt_table4.txt").read_bytes() == body
    assert len(httpserver.log) == 1


def test_fetch_rejects_a_truncated_download(local_http, httpserver):
    httpserver.expect_request("/Publish/mfhhis01.txt").respond_with_data(
        b"\t\tMAJOR FOREIGN HOLDERS\nJapan\t1"
    )
    with pytest.raises(SourceError, match="truncated"):
        tic.fetch([TOTAL], local_http)


# --- the shared data


def test_shared_holdings_spot_checks(shared_data):
    path = shared_data / "international" / "tic_mfhhis01.txt"
    total = _values(read_file(path, TOTAL))
    assert len(total) == 310  # 2000-03 → 2025-12, break months once
    assert min(total) == "2000-03-31"
    assert max(total) == "2025-12-31"
    assert total["2025-01-31"] == 8617.8
    assert total["2025-12-31"] == 9271.0
    assert total["2024-09-30"] == 8766.3
    assert total["2024-11-30"] == 8723.3
    assert total["2024-12-31"] == 8619.3
    assert total["2011-06-30"] == 4690.6  # Series XII, not XI's 4533.6
    assert total["2000-03-31"] == 1085.0  # Series II, not I's 1252.1
    japan = _values(read_file(path, JAPAN))
    china = _values(read_file(path, CHINA))
    assert japan["2025-12-31"] == 1185.5
    assert china["2025-12-31"] == 683.5
    assert len(japan) == len(china) == 310


def test_shared_slt_extract_sign_convention(shared_data):
    path = shared_data / "international" / "tic_slt_table4_grandtotal_extract.txt"
    total = _values(read_file(path, NET_LT))
    treasury = _values(read_file(path, NET_TREASURY))
    assert len(total) == len(treasury) == 42
    assert min(total) == "2023-02-28"
    assert max(total) == "2026-07-31"
    assert round(total["2024-12-31"] / 1000, 1) == 69.2  # $bn
    assert round(treasury["2024-12-31"] / 1000, 1) == -35.3
    assert round(total["2025-01-31"] / 1000, 1) == 1.8
    assert round(treasury["2025-01-31"] / 1000, 1) == -4.7
    assert round(total["2025-02-28"] / 1000, 1) == 141.7


def test_shared_s1_history_joins_the_slt_table_without_overlap(shared_data):
    folder = shared_data / "international"
    history = _values(read_file(folder / "tic_s1_globl_hist_grandtotal_extract.csv", NET_LT))
    recent = _values(read_file(folder / "tic_slt_table4_grandtotal_extract.txt", NET_LT))
    assert len(history) == 553
    assert min(history) == "1977-01-31"
    assert max(history) == "2023-01-31"
    assert round(history["2023-01-31"] / 1000, 1) == 31.7
    treasury = _values(read_file(folder / "tic_s1_globl_hist_grandtotal_extract.csv", NET_TREASURY))
    assert round(treasury["2023-01-31"] / 1000, 1) == 50.9
    assert not set(history) & set(recent)  # no overlapping month to compare
    assert pd.Timestamp(min(recent)) == pd.Timestamp(max(history)) + pd.offsets.MonthEnd(1)  # no gap either


def test_shared_fdhbfin_context_entry(shared_data):
    frame = read_file(
        shared_data / "international" / "fred_FDHBFIN.csv", CATALOGUE["foreign_holdings_quarterly"]
    )
    values = _values(frame)
    assert len(values) == 223
    assert values["2025-07-01"] == 9248.4
    assert values["2024-10-01"] == 8528.0  # older vintage than TIC's revised Dec-2024 8,619.3


def test_country_rows_must_add_up_to_the_grand_total():
    raw = (FIXTURES / "mfhhis01_small.txt").read_bytes()
    assert read_file(Path("mfhhis01.txt"), JAPAN, raw=raw)["value"].notna().all()
    changed = raw.replace(b"United Kingdom 2/\t40.1\t", b"United Kingdom 2/\t4010\t")  # x100, Mar 2031
    with pytest.raises(
        DataError, match=r"country rows of Mar 2031 add up to 4210.5, the Grand Total says 240.6"
    ):
        read_file(Path("mfhhis01.txt"), JAPAN, raw=changed)  # whichever series is read
