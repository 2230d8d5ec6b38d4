"""Shared fixtures: the real data folder (skipped when absent) and an HTTP client aimed at a local server."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.sources.http import HttpClient

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """The folder of real public data beside the repository; tests using it skip when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture
def local_http(httpserver, monkeypatch) -> HttpClient:
    """An HttpClient whose publisher hosts all point at the local test server, with quick retries.

    Keyed APIs get a dummy key (``BEA_API_KEY``), as a configured machine would have.
    """
    monkeypatch.setenv("BEA_API_KEY", "test-key")
    base = httpserver.url_for("").rstrip("/")
    hosts = [
        "https://fred.stlouisfed.org",
        "https://api.stlouisfed.org",
        "https://api.fiscaldata.treasury.gov",
        "https://home.treasury.gov",
        "https://www.newyorkfed.org",
        "https://markets.newyorkfed.org",
        "https://ticdata.treasury.gov",
        "https://www.treasury.gov",
        "https://data.financialresearch.gov",
        "https://www.mof.go.jp",
        "https://api.statistiken.bundesbank.de",
        "https://data-api.ecb.europa.eu",
        "https://www.ecb.europa.eu",
        "https://apps.bea.gov",
        "https://www.stat-search.boj.or.jp",
    ]
    return HttpClient(
        connect_timeout=1.0,
        read_timeout=1.0,
        attempts=3,
        backoff_seconds=0.01,
        max_backoff_seconds=0.05,
        redirects={host: base for host in hosts},
    )
