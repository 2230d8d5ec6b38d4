"""Every adapter against a local HTTP server on 127.0.0.1: good responses and every kind of fault.

The good response for each canonical file is made by the adapter's own ``encode`` from a small
synthetic frame, so this runs over every publisher without any real data.
"""

from __future__ import annotations

import re
import time

import pandas as pd
import pytest
from werkzeug import Response

from generator.catalogue import specs_by_file
from generator.sources import fetch_file, publisher_module, read_file

FILE_GROUPS = specs_by_file()
ANY_PATH = re.compile(r"^/.*")


def small_frame(spec) -> pd.DataFrame:
    """A short synthetic history at the series' frequency, with plausible positive values."""
    periods = {"daily": ("2024-12-02", "B"), "weekly": ("2024-10-02", "W-WED")}
    start, freq = periods.get(spec.frequency, ("2023-01-31", "ME"))
    if spec.frequency == "quarterly":
        start, freq = "2022-01-01", "QS"
    dates = pd.date_range(start, periods=12, freq=freq)
    base = 100.0 if spec.unit in ("$bn", "index", "months") else 2.0
    values = [round(base + 0.25 * step, 2) for step in range(len(dates))]
    return pd.DataFrame({"date": dates, "value": values})


def good_body(specs) -> bytes:
    frames = {spec.key: small_frame(spec) for spec in specs}
    return publisher_module(specs[0]).encode(frames, specs)


LIVE_GROUPS = sorted(name for name, specs in FILE_GROUPS.items() if specs[0].live)


@pytest.fixture(params=LIVE_GROUPS, ids=lambda name: name)
def file_group(request):
    return FILE_GROUPS[request.param]


def test_encode_then_read_round_trips(file_group, tmp_path):
    body = good_body(file_group)
    for spec in file_group:
        frame = read_file(tmp_path / spec.file, spec, raw=body)
        expected = small_frame(spec)
        assert len(frame) == len(expected), spec.key
        assert frame["value"].tolist() == pytest.approx(expected["value"].tolist()), spec.key


def test_fetch_writes_cache(file_group, local_http, httpserver, tmp_path):
    httpserver.expect_request(ANY_PATH).respond_with_data(good_body(file_group))
    result = fetch_file(file_group, local_http, tmp_path)
    assert result.error is None
    assert result.changed
    assert (tmp_path / file_group[0].file).is_file()
    again = fetch_file(file_group, local_http, tmp_path)
    assert not again.changed


def _prime_cache(file_group, tmp_path) -> bytes:
    cached = good_body(file_group)
    target = tmp_path / file_group[0].file
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(cached)
    return cached


def test_500_then_success_is_retried(file_group, local_http, httpserver, tmp_path):
    body = good_body(file_group)
    calls = {"n": 0}

    def handler(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return Response("busy", status=500)
        return Response(body, status=200)

    httpserver.expect_request(ANY_PATH).respond_with_handler(handler)
    result = fetch_file(file_group, local_http, tmp_path)
    assert result.error is None
    assert calls["n"] >= 2


FAULTS = {
    "404": lambda body: Response("not here", status=404),
    "html": lambda body: Response("<!DOCTYPE html><html><body>Service unavailable</body></html>", status=200),
    "empty": lambda body: Response(b"", status=200),
    "truncated": lambda body: Response(_truncate(body), status=200),
    "malformed": lambda body: Response(_malform(body), status=200),
    "always_500": lambda body: Response("error", status=503),
}


def _truncate(body: bytes) -> bytes:
    """Cut the payload in the middle of a line, as a dropped connection does."""
    cut = len(body) // 2
    while cut > 1 and body[cut - 1 : cut] in (b"\n", b"\r"):
        cut -= 1
    return body[:cut]


def _malform(body: bytes) -> bytes:
    """Replace the numbers of the payload's last data line with garbage."""
    text = body.decode("utf-8", errors="replace")
    if text.lstrip().startswith(("{", "[")):
        return re.sub(r'(\d+\.\d+|"\d+")', '"12..3x"', text, count=0).encode()
    lines = text.rstrip("\n").split("\n")
    lines[-1] = re.sub(r"\d+\.\d+|\b\d{2,}\b", "1O.x", lines[-1])
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_faults_keep_cache_and_explain(fault, file_group, local_http, httpserver, tmp_path):
    cached = _prime_cache(file_group, tmp_path)
    body = good_body(file_group)
    calls = {"n": 0}

    def handler(request):
        calls["n"] += 1
        return FAULTS[fault](body)

    httpserver.expect_request(ANY_PATH).respond_with_handler(handler)
    result = fetch_file(file_group, local_http, tmp_path)
    assert result.error, f"{fault} was accepted for {file_group[0].file}"
    assert (tmp_path / file_group[0].file).read_bytes() == cached
    assert file_group[0].key in result.error or file_group[0].file in result.error or "http" in result.error
    if fault == "404":
        assert calls["n"] == 1, "a 404 must not be retried"


def test_timeout_keeps_cache(file_group, local_http, httpserver, tmp_path):
    cached = _prime_cache(file_group, tmp_path)
    local_http.read_timeout = 0.2
    local_http.attempts = 2

    def slow(request):
        time.sleep(0.5)
        return Response("late", status=200)

    httpserver.expect_request(ANY_PATH).respond_with_handler(slow)
    result = fetch_file(file_group, local_http, tmp_path)
    assert result.error
    assert "failed after 2 attempts" in result.error
    assert (tmp_path / file_group[0].file).read_bytes() == cached
