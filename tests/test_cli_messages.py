"""Every failure is one line with the documented exit status; user text is printed literally; no cut lines."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from generator import cli as cli_module
from generator.buildable import earliest_as_of, has_publisher_files
from generator.catalogue import SERIES
from generator.cli import cli
from generator.store import LoadedSeries, Store

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli-cache")


def _run(*args: str, **options):
    return CliRunner().invoke(cli, list(args), **options)


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


def test_an_as_of_date_in_the_future_is_one_line(cache, monkeypatch):
    monkeypatch.setattr(cli_module, "_today", lambda: date(2026, 12, 1))
    result = _run("check", "--as-of", "2027-03-05", "--cache", str(cache))
    assert result.exit_code == 2
    assert "'--as-of': 2027-03-05 is in the future (today is 2026-12-01)" in result.output
    assert "stale" not in result.output
    backfill = _run("backfill", "--from", "2026-11-01", "--to", "2027-01-01", "--cache", str(cache))
    assert backfill.exit_code == 2
    assert "'--to': 2027-01-01 is in the future" in backfill.output


def test_an_empty_data_dir_is_one_line(tmp_path, cache):
    result = _run("check", "--as-of", "2025-02-07", "--data-dir", str(tmp_path), "--cache", str(cache))
    assert result.exit_code == 1
    assert _error_lines(result.output) == [
        f"error: no publisher files in {tmp_path} (--data-dir must name a folder of publisher files such "
        "as ../shared/data; leave it out for the demo data)"
    ]
    assert len(result.output) < 400, "not a listing of every series"
    assert not has_publisher_files(tmp_path)


def _store(first_published: dict[str, str]) -> Store:
    specs = {spec.key: spec for spec in SERIES}
    series = {}
    for key, published in first_published.items():
        frame = pd.DataFrame(
            {
                "date": pd.to_datetime([published]),
                "published": pd.to_datetime([published]),
                "value": [1.0],
                "realtime": [False],
                "file": ["x.csv"],
            }
        )
        series[key] = LoadedSeries(specs[key], frame, ())
    return Store(series)


def test_the_earliest_buildable_date_is_when_the_last_essential_series_starts():
    specs = {spec.key: spec for spec in SERIES}
    chosen = (specs["ust10y"], replace(specs["sofr"], essential=True), specs["tga"])
    store = _store({"ust10y": "1962-01-02", "sofr": "2018-04-03", "tga": "2005-10-03"})
    earliest = earliest_as_of(store, chosen)
    assert (earliest.as_of, earliest.series) == (date(2018, 4, 3), "sofr")
    assert earliest_as_of(store).as_of == date(1962, 1, 2), "only the 10y is essential in the catalogue"
    twin = _store({"par10y": "1990-01-02", "ust10y": "1995-06-01"})
    assert earliest_as_of(twin).as_of == date(1990, 1, 2), "the par-curve twin stands in for the 10y"
    assert earliest_as_of(_store({"sofr": "2018-04-03"})) is None, "no 10y at all: no date can be built"


def test_an_as_of_date_before_the_data_start_names_the_earliest(cache, monkeypatch):
    store = _store({"ust10y": "2018-04-03", "sofr": "1990-04-03"})
    monkeypatch.setattr(cli_module, "open_store", lambda data: store)
    result = _run("figures", "--as-of", "2010-01-08", "--cache", str(cache))
    assert result.exit_code == 1
    assert _error_lines(result.output) == [
        "error: 2010-01-08 is before the earliest as-of date these data can build: 2018-04-03, when ust10y "
        "published its first value (choose a later --as-of)"
    ]


def test_the_earliest_date_from_the_shared_data(shared_data, cache):
    result = _run("check", "--as-of", "1950-01-06", "--data-dir", str(shared_data), "--cache", str(cache))
    assert result.exit_code == 1
    [line] = _error_lines(result.output)
    assert line == (
        "error: 1950-01-06 is before the earliest as-of date these data can build: 1962-01-03, when ust10y "
        "published its first value"
    )  # DGS10 starts on 2 Jan 1962, public the next business day


def test_a_weekend_as_of_says_the_data_are_as_of_friday(cache):
    result = _run("check", "--as-of", "2025-02-08", "--cache", str(cache))
    assert result.exit_code == 0, result.output
    assert (
        "note: 2025-02-08 is a Saturday and not a US business day: the data are as of Fri 7 Feb 2025, "
        "the last business day's close"
    ) in result.output
    assert "not a US business day" not in _run("check", "--as-of", "2025-02-07", "--cache", str(cache)).output


def test_redirected_tables_are_not_cut_at_80_columns(cache):
    result = _run("check", "--as-of", "2025-02-07", "--cache", str(cache))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) > 100
    assert any("stale after" in line and "last observation" in line for line in lines), "one header line"
    assert not any(line.rstrip().endswith("…") for line in lines)


def test_markup_in_user_text_is_printed_literally(tmp_path, monkeypatch):
    (tmp_path / "ust-weekly.toml").write_text(
        '[smtp]\nhost = "127.0.0.1"\nsecurity = "none"\nsender = "desk@example.com"\n', encoding="utf-8"
    )
    build = tmp_path / "[red]2025-02-07"
    build.mkdir()
    (build / "manifest.json").write_text(
        '{"as_of": "2025-02-07", "data": {}, "series": {}}', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = _run("send", str(build), "--dry-run")
    assert result.exit_code == 1
    assert _error_lines(result.output) == ["error: no recipients (add [[recipients]] to ust-weekly.toml)"]
    init = _run("init", str(tmp_path / "[bold]desk"))
    assert "[bold]desk" in init.output


def test_fetch_offers_no_data_options():
    result = _run("fetch", "--help")
    assert result.exit_code == 0
    assert "--data-dir" not in result.output
    assert "--live" not in result.output
    assert "Folder to download into" in result.output


@pytest.mark.parametrize(
    ("raised", "expected", "status"),
    [
        (
            ValueError("boom"),
            "error: unexpected ValueError: boom (a bug in ust-weekly: run the command again",
            1,
        ),
        (
            PermissionError(13, "Permission denied", "/srv/out"),
            "error: Permission denied: /srv/out (check",
            1,
        ),
        (KeyboardInterrupt(), "interrupted", 130),
    ],
)
def test_any_other_failure_is_one_line_and_vv_shows_the_traceback(
    cache, monkeypatch, raised, expected, status
):
    def fail(data):
        raise raised

    monkeypatch.setattr(cli_module, "open_store", fail)
    result = _run("check", "--as-of", "2025-02-07", "--cache", str(cache))
    assert result.exit_code == status
    assert result.output.strip().startswith(expected)
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    if status == 1:
        verbose = _run("check", "--as-of", "2025-02-07", "--cache", str(cache), "-vv")
        assert verbose.exit_code == status
        assert "Traceback (most recent call last)" in verbose.output
        assert verbose.output.strip().splitlines()[-1].startswith(expected)


def test_a_refused_attachment_in_an_overlay_is_one_line(tmp_path, cache):
    overlay = tmp_path / "desk"
    overlay.mkdir()
    (overlay / "note.html").write_text(
        '{% extends "base.html" %}\n{% block disclaimer %}{{ super() }}'
        '<p><a rel="attachment" href="file:///etc/passwd">data</a></p>{% endblock %}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = _run(
        "build",
        "--as-of",
        "2025-02-07",
        "--lang",
        "en",
        "--templates",
        str(overlay),
        "--cache",
        str(cache),
        "--out",
        str(out),
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert _error_lines(result.output) == [
        "error: note_en.pdf: resource refused: file:///etc/passwd: outside the template and chart folders "
        "(links, stylesheets, images and attachments in the templates may load only files from the template "
        "and chart folders)"
    ]
    assert not out.exists()
    assert [path.name for path in tmp_path.iterdir() if path.is_dir() and path.name.startswith(".")] == []


def test_sigterm_during_a_build_removes_its_staging_folder(tmp_path):
    out = tmp_path / "out"
    # an empty cache: the charts and the note take seconds after figures.json appears in staging, so
    # the signal arrives mid-build (with kept charts and note the build could end before it)
    cache = tmp_path.parent / f"{tmp_path.name}-cache"
    command = [sys.executable, "-m", "generator", "build", "--as-of", "2025-02-07", "-q"]
    child = subprocess.Popen(
        [*command, "--cache", str(cache), "--out", str(out)], cwd=REPO, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not any(
        path.name.startswith(".out.staging-") and any(path.iterdir()) for path in tmp_path.iterdir()
    ):
        assert child.poll() is None, child.stderr.read()  # wait until a stage has written into staging
        assert time.monotonic() < deadline, "no staging folder appeared"
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGTERM)
    assert child.wait(timeout=60) == 128 + signal.SIGTERM
    assert [path.name for path in tmp_path.iterdir() if path.is_dir()] == []
