"""Fiscal Data adapter: MSPD Table I (API JSON, website download, USD copies), the DTS TGA line across
its renames, interest expense, average interest rates, paginated fetching, and the shared debt files."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import parse_qs

import pandas as pd
import pytest
from werkzeug import Response

from generator.catalogue import CATALOGUE, specs_by_file
from generator.errors import DataError, SourceError
from generator.sources import fiscal_data, read_file
from generator.sources.fiscal_data import encode, fetch, read
from generator.store import load_series

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fiscal_data"
MSPD_KEYS = ("mspd_bills", "mspd_notes", "mspd_bonds", "mspd_tips", "mspd_frn", "mspd_marketable")


def _series(path: Path, key: str) -> pd.Series:
    frame = read_file(path, CATALOGUE[key])
    return pd.Series(frame["value"].to_numpy(), index=frame["date"])


def _day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# --- MSPD Table I


def test_mspd_api_json_maps_class_labels_to_codes():
    path = FIXTURES / "mspd_table_1.json"
    values = {key: _series(path, key) for key in MSPD_KEYS}
    assert values["mspd_bills"].to_dict() == {
        _day("2004-05-31"): 1000.5,
        _day("2014-01-31"): 1500.0,
        _day("2025-01-31"): 6000.0,
    }
    assert values["mspd_notes"][_day("2004-05-31")] == 2001.0  # total_mil_amt, not debt held by the public
    assert values["mspd_tips"][_day("2004-05-31")] == pytest.approx(200.25)  # two inflation-indexed lines
    assert values["mspd_tips"][_day("2025-01-31")] == 2000.0
    assert list(values["mspd_frn"].index) == [_day("2014-01-31"), _day("2025-01-31")]  # FRN from 2014
    assert _day("2025-01-31") not in values["mspd_bonds"].index  # "null" is a gap, not a zero
    assert values["mspd_marketable"].to_dict() == {
        _day("2004-05-31"): 3731.75,
        _day("2014-01-31"): 10827.0,
        _day("2025-01-31"): 22605.0,  # class "" instead of "_"
    }


def test_mspd_website_download_with_bom_crlf_and_no_final_newline():
    path = FIXTURES / "MSPD_SumSecty_20010131_20010228.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not path.read_bytes().endswith(b"\n")
    assert _series(path, "mspd_bills").to_dict() == {_day("2001-01-31"): 650.0, _day("2001-02-28"): 700.5}
    assert _series(path, "mspd_tips").to_dict() == {_day("2001-02-28"): 130.0}
    assert _series(path, "mspd_marketable").to_dict() == {
        _day("2001-01-31"): 2302.0,
        _day("2001-02-28"): 2332.5,
    }


def test_mspd_normalised_copy_in_usd_is_converted_to_millions():
    path = FIXTURES / "debt_outstanding_usd_synthetic.csv"
    assert _series(path, "mspd_bills").to_dict() == {
        _day("2026-06-30"): 6_500_000.0,
        _day("2026-07-31"): 6_600_250.0,
    }
    assert _series(path, "mspd_tips").to_dict() == {_day("2026-06-30"): 2_100_000.0}
    assert _series(path, "mspd_marketable")[_day("2026-07-31")] == 31_100_000.0


def test_mspd_encode_round_trips_and_is_deterministic():
    specs = [CATALOGUE[key] for key in MSPD_KEYS]
    dates = pd.date_range("2024-01-31", periods=3, freq="ME")
    frames = {
        spec.key: pd.DataFrame({"date": dates, "value": [1.5 + n, 2.25, 1e7 + 0.125]})
        for n, spec in enumerate(specs)
    }
    body = encode(frames, specs)
    assert body == encode(frames, specs)
    document = json.loads(body)
    assert document["links"]["next"] is None
    assert document["meta"]["total-pages"] == 1
    assert all(isinstance(value, str) for record in document["data"] for value in record.values())
    for spec in specs:
        frame = read(body, spec, "encoded")
        assert frame["value"].tolist() == frames[spec.key]["value"].tolist()
        assert frame["date"].tolist() == list(dates)


# --- DTS operating cash balance (TGA)


def test_tga_follows_the_account_line_across_its_renames():
    values = _series(FIXTURES / "dts_operating_cash_balance.json", "tga")
    assert values.to_dict() == {
        _day("2021-09-30"): 210.0,  # Federal Reserve Account, close_today_bal
        _day("2021-10-01"): 130.5,  # Treasury General Account (TGA), close_today_bal
        _day("2022-04-15"): 580.0,
        _day("2022-04-18"): 840.0,  # the Closing Balance line, open_today_bal
        _day("2025-01-14"): 671.0,
    }  # 2025-01-15 is "null" in both fields: no row; opening/deposit/Tax and Loan lines ignored


def test_tga_usd_copy_is_converted_to_millions():
    values = _series(FIXTURES / "cash_balance_usd_synthetic.csv", "tga")
    assert values.to_dict() == {_day("2025-01-14"): 612_300.0, _day("2025-01-15"): 598_750.0}


def test_tga_encode_writes_each_era_as_published():
    spec = CATALOGUE["tga"]
    dates = pd.to_datetime(["2021-09-30", "2021-10-01", "2022-04-15", "2022-04-18"])
    body = encode({"tga": pd.DataFrame({"date": dates, "value": [1.0, 2.0, 3.0, 4.5]})}, [spec])
    records = json.loads(body)["data"]
    assert [record["account_type"] for record in records] == [
        "Federal Reserve Account",
        "Treasury General Account (TGA)",
        "Treasury General Account (TGA)",
        "Treasury General Account (TGA) Closing Balance",
    ]
    assert records[-1]["open_today_bal"] == "4.5"
    assert records[-1]["close_today_bal"] == "null"
    assert read(body, spec, "encoded")["value"].tolist() == [1.0, 2.0, 3.0, 4.5]


# --- interest expense and average interest rates


def test_interest_expense_sums_every_line_of_a_month_newest_first_file():
    path = FIXTURES / "FiscalData_IntExp_interest_expense_public_debt_20250430_20250531.csv"
    assert _series(path, "interest_expense").to_dict() == {
        _day("2025-04-30"): 29_000_000_000.0,  # the null line is left out of the sum
        _day("2025-05-31"): pytest.approx(49_000_000_000.75),  # negative lines count
    }  # 2025-03-31 has only a null line: no row


def test_average_rate_accepts_label_variants_and_null():
    path = FIXTURES / "avg_interest_rates_synthetic.csv"
    assert _series(path, "avg_rate_marketable").to_dict() == {
        _day("2005-06-30"): 4.222,
        _day("2005-07-31"): 4.321,  # "TotalMarketable"
    }


# --- malformed input


@pytest.mark.parametrize(
    ("key", "body", "message"),
    [
        ("mspd_bills", b'{"data": [{"record_date": "2025-01-31"', "not valid JSON"),
        ("mspd_bills", b'{"meta": {}}', "no 'data' list"),
        ("mspd_bills", b"record_date,security_type_desc\n2025-01-31,Marketable\n", "no column"),
        (
            "mspd_bills",
            b"record_date,security_type_desc,security_class_desc,total_mil_amt\n"
            b"2025-01-31,Marketable,Bills,6O00.x\n",
            "not a number",
        ),
        (
            "tga",
            b'{"data": [{"record_date": "2025-13-45", "account_type": "x", "open_today_bal": "1"}]}',
            "not a date",
        ),
        ("interest_expense", b"<!DOCTYPE html><html><body>Error</body></html>", "HTML"),
        (
            "avg_rate_marketable",
            b"record_date,security_desc,avg_interest_rate_amt\n2025-05-31,Total Marketable,n.a.\n",
            "n.a.",
        ),
    ],
)
def test_malformed_files_name_the_file_and_series(key, body, message, tmp_path):
    path = tmp_path / "broken.json"
    path.write_bytes(body)
    with pytest.raises(DataError, match=message) as caught:
        read_file(path, CATALOGUE[key])
    assert caught.value.file == str(path)
    assert caught.value.series == key


def test_dts_without_balance_fields_is_an_error():
    record = {"record_date": "2025-01-14", "account_type": "Treasury General Account (TGA) Closing Balance"}
    body = json.dumps({"data": [record]}).encode()
    with pytest.raises(DataError, match="open_today_bal"):
        read(body, CATALOGUE["tga"], "dts.json")


# --- fetching


def _page(records: list[dict], number: int, pages: int) -> str:
    link = f"&page%5Bnumber%5D={number + 1}&page%5Bsize%5D=10000" if number < pages else None
    return json.dumps(
        {"data": records, "meta": {"count": len(records), "total-pages": pages}, "links": {"next": link}}
    )


def test_fetch_follows_pages_and_merges_them(local_http, httpserver):
    spec = CATALOGUE["avg_rate_marketable"]
    pages = {
        1: [
            {
                "record_date": "2025-04-30",
                "security_type_desc": "Marketable",
                "security_desc": "Total Marketable",
                "avg_interest_rate_amt": "3.3",
            }
        ],
        2: [
            {
                "record_date": "2025-05-31",
                "security_type_desc": "Marketable",
                "security_desc": "Total Marketable",
                "avg_interest_rate_amt": "3.362",
            }
        ],
    }
    seen = []

    def handler(request):
        query = parse_qs(request.query_string.decode())
        seen.append(query)
        number = int(query["page[number]"][0])
        return Response(_page(pages[number], number, len(pages)), status=200)

    httpserver.expect_request(
        "/services/api/fiscal_service/v2/accounting/od/avg_interest_rates"
    ).respond_with_handler(handler)
    body = fetch([spec], local_http)
    assert [query["page[number]"] for query in seen] == [["1"], ["2"]]
    assert seen[0]["filter"] == ["record_date:gte:2001-01-01"]
    assert seen[0]["page[size]"] == ["10000"]
    assert seen[0]["fields"] == ["record_date,security_type_desc,security_desc,avg_interest_rate_amt"]
    frame = read(body, spec, "cache")
    assert frame["value"].tolist() == [3.3, 3.362]
    assert json.loads(body)["links"]["next"] is None


def test_fetch_asks_for_each_tga_account_line_and_joins_the_eras(local_http, httpserver):
    spec = CATALOGUE["tga"]
    rows = json.loads((FIXTURES / "dts_operating_cash_balance.json").read_text())["data"]

    def handler(request):
        wanted = parse_qs(request.query_string.decode())["filter"][0].split("account_type:eq:")[1]
        return Response(_page([row for row in rows if row["account_type"] == wanted], 1, 1), status=200)

    httpserver.expect_request(
        "/services/api/fiscal_service/v1/accounting/dts/operating_cash_balance"
    ).respond_with_handler(handler)
    body = fetch([spec], local_http)
    dates = read(body, spec, "cache")["date"].dt.strftime("%Y-%m-%d").tolist()
    assert dates == ["2021-09-30", "2021-10-01", "2022-04-15", "2022-04-18", "2025-01-14"]
    assert len(httpserver.log) == 3


def test_fetch_rejects_a_page_that_is_not_json_without_retrying(local_http, httpserver):
    httpserver.expect_request(
        "/services/api/fiscal_service/v2/accounting/od/interest_expense"
    ).respond_with_data('{"data": [', status=200)
    with pytest.raises(SourceError, match="not valid JSON"):
        fetch([CATALOGUE["interest_expense"]], local_http)
    assert len(httpserver.log) == 1


def test_every_fiscal_data_file_group_has_a_dataset():
    for file, specs in specs_by_file().items():
        if specs[0].publisher == "fiscal_data":
            assert fiscal_data.dataset(specs[0]).endpoint in specs[0].endpoint, file


# --- the shared data


def test_shared_mspd_download_spot_checks(shared_data):
    path = shared_data / "debt" / "MSPD_SumSecty_20010131_20260531.csv"
    bills = _series(path, "mspd_bills")
    marketable = _series(path, "mspd_marketable")
    tips = _series(path, "mspd_tips")
    assert len(bills) == 305
    assert round(bills[_day("2025-01-31")]) == 6_379_925
    assert round(marketable[_day("2025-01-31")]) == 28_518_853
    assert bills[_day("2025-01-31")] / marketable[_day("2025-01-31")] == pytest.approx(0.224, abs=5e-4)
    assert tips[_day("2001-01-31")] == pytest.approx(88_312.716 + 38_978.946)  # two inflation-indexed lines
    assert _series(path, "mspd_frn").index.min() == _day("2014-01-31")


def test_shared_normalised_copies_agree_with_the_download(shared_data):
    download = shared_data / "debt" / "MSPD_SumSecty_20010131_20260531.csv"
    copy = shared_data / "debt" / "durationmonitor_debt_outstanding.csv"
    for key in MSPD_KEYS:
        left, right = _series(download, key), _series(copy, key)
        common = left.index.intersection(right.index)
        assert len(common) >= 149, key
        assert (left[common] - right[common]).abs().max() < 1e-3, key
    assert _series(copy, "mspd_bills").index.max() == _day("2026-07-31")
    detail = shared_data / "debt" / "durationmonitor_securities_detail_latest.csv"
    for key in ("mspd_bills", "mspd_tips", "mspd_frn"):  # Table III summed by class = Table I
        assert _series(detail, key)[_day("2026-07-31")] == pytest.approx(
            _series(copy, key)[_day("2026-07-31")], abs=1
        )


def test_shared_mspd_store_reads_both_files_in_billions(shared_data):
    loaded = load_series(shared_data, CATALOGUE["mspd_bills"], {})
    observations = loaded.observations.set_index("date")
    assert [Path(item.path).name for item in loaded.files] == [
        "MSPD_SumSecty_20010131_20260531.csv",
        "durationmonitor_debt_outstanding.csv",
    ]
    assert observations.loc[_day("2025-01-31"), "value"] == pytest.approx(6_379.925, abs=1e-3)
    assert observations.index.max() == _day("2026-07-31")


def test_shared_tga_spot_checks(shared_data):
    values = _series(shared_data / "debt" / "durationmonitor_cash_balance.csv", "tga")
    assert len(values) == 5246
    assert values[_day("2025-01-14")] == 671_551.0
    assert values[_day("2025-01-15")] == 651_187.0
    assert values[_day("2025-01-29")] == 811_549.0


def test_shared_interest_expense_is_the_sum_of_all_lines(shared_data):
    path = shared_data / "debt" / "FiscalData_IntExp_interest_expense_public_debt_20100531_20250531.csv"
    with path.open(newline="") as handle:
        expected = sum(
            float(row["month_expense_amt"])
            for row in csv.DictReader(handle)
            if row["record_date"] == "2025-05-31"
        )
    values = _series(path, "interest_expense")
    assert len(values) == 181
    assert values[_day("2025-05-31")] == pytest.approx(expected)
    assert 50e9 < values[_day("2025-05-31")] < 150e9  # dollars


def test_shared_average_rates_spot_checks(shared_data):
    values = _series(
        shared_data / "debt" / "FiscalData_AvgInterestRate_20010131_20250531.csv", "avg_rate_marketable"
    )
    assert values[_day("2025-05-31")] == 3.362
    assert values[_day("2005-07-31")] == 4.145  # labelled "TotalMarketable"
    assert _day("2004-12-31") not in values.index  # no Total Marketable row that month
    assert len(values) == 292
