"""``ust-weekly backfill``: build the weekly archive, one folder per as-of date, in parallel processes.

The data are loaded once, in the parent process; worker processes are forked from it and share the
loaded store. A date is skipped when its folder already holds a build made from the same inputs: the
fingerprint hashes the rows of every series published by that date (so data published after it do
not invalidate it), plus the code and template versions. Each date is written all-or-nothing, so an
interrupted backfill resumes where it stopped. ``--shard K/N`` builds every N-th date starting at the
K-th, so that any batch scheduler can split a very large backfill across machines.
"""

from __future__ import annotations

import gc
import hashlib
import html
import json
import logging
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from generator.atomic import write_text_atomic
from generator.build import BuildRequest, build_note, import_renderers
from generator.collector import full_collections_deferred
from generator.data import DataRequest
from generator.errors import UstWeeklyError
from generator.store import Store

log = logging.getLogger(__name__)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FINGERPRINT_FILE = "fingerprint.txt"
_worker_store: Store | None = None  # set in each forked worker: the store loaded once by the parent


@dataclass(frozen=True)
class DateOutcome:
    """What backfill did for one as-of date."""

    as_of: date
    status: str  #: built, skipped, failed
    detail: str = ""


def weekly_dates(start: date, end: date, weekday: str = "fri") -> list[date]:
    """Return every ``weekday`` from ``start`` to ``end`` inclusive."""
    if weekday not in WEEKDAYS:
        raise UstWeeklyError(f"unknown weekday {weekday!r}; use one of {', '.join(WEEKDAYS)}")
    target = WEEKDAYS.index(weekday)
    first = start + timedelta(days=(target - start.weekday()) % 7)
    return (
        [first + timedelta(weeks=week) for week in range((end - first).days // 7 + 1)] if first <= end else []
    )


def shard(dates: list[date], spec: str | None) -> list[date]:
    """Return the dates of shard ``K/N`` (1-based): every N-th date starting at the K-th."""
    if not spec:
        return dates
    try:
        index, count = (int(part) for part in spec.split("/"))
    except ValueError:
        raise UstWeeklyError(f"--shard takes K/N, e.g. 2/8; got {spec!r}") from None
    if not 1 <= index <= count:
        raise UstWeeklyError(f"--shard {spec}: K must be between 1 and N")
    return dates[index - 1 :: count]


def code_version() -> str:
    """Return a hash of the code, templates and style files that shape a build."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder in ("generator", "charts", "templates", "analyst"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in {
                ".py",
                ".html",
                ".css",
                ".txt",
                ".mplstyle",
                ".yaml",
                ".csv",
            }:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


class Fingerprints:
    """The fingerprint of a build as of any date: a hash of what it could see, and of the code version.

    A cut as of D is a function of the rows published on or before D (and of their order), so the
    hash covers those rows: data published after D do not change it. Each series' rows are hashed
    once; a date then costs one comparison and one slice per series instead of a cut of each series
    (52 dates: 8.7 s → well under a second).
    """

    COLUMNS = ("date", "published", "value", "realtime")

    def __init__(self, store: Store, version: str) -> None:
        self.version = version
        self.rows: list[tuple[bytes, np.ndarray, np.ndarray]] = []  # (key, published, row hashes)
        for key in sorted(store.series):
            observations = store.series[key].observations
            published = observations["published"].to_numpy(dtype="datetime64[ns]")
            hashes = pd.util.hash_pandas_object(observations[list(self.COLUMNS)], index=False).to_numpy()
            self.rows.append((key.encode(), published, hashes))

    def of(self, as_of: date) -> str:
        """Return the fingerprint of a build as of ``as_of``."""
        digest = hashlib.sha256(f"{as_of.isoformat()}|{self.version}".encode())
        moment = np.datetime64(pd.Timestamp(as_of).asm8)
        for key, published, hashes in self.rows:
            digest.update(key + b"\0")
            digest.update(hashes[published <= moment].tobytes())
        return digest.hexdigest()


def _init_worker(store: Store) -> None:
    global _worker_store
    _worker_store = store


def _build_one(as_of: date, out_root: Path, data: DataRequest, stamp: str) -> DateOutcome:
    store = _worker_store
    assert store is not None
    target = out_root / as_of.isoformat()
    try:
        with full_collections_deferred():  # the collection below frees what the build left, once
            build_note(BuildRequest(as_of=as_of, data=data, out=target), store=store)
    except UstWeeklyError as exc:
        return DateOutcome(as_of, "failed", str(exc))
    finally:
        # a laid-out note is a large graph with reference cycles; collected now, before the next date's,
        # a worker's memory stays at one build's peak instead of creeping up over dozens of dates
        gc.collect()
    write_text_atomic(target / FINGERPRINT_FILE, stamp + "\n")
    return DateOutcome(as_of, "built")


def backfill(
    dates: list[date],
    out_root: Path,
    data: DataRequest,
    store: Store,
    jobs: int = 1,
    on_date: Callable[[DateOutcome], None] | None = None,
) -> list[DateOutcome]:
    """Build every date in ``dates`` under ``out_root`` (skipping unchanged ones); write index.html."""
    fingerprints = Fingerprints(store, code_version())
    todo: list[tuple[date, str]] = []
    outcomes: list[DateOutcome] = []
    for as_of in dates:
        stamp = fingerprints.of(as_of)
        existing = out_root / as_of.isoformat() / FINGERPRINT_FILE
        if existing.is_file() and existing.read_text(encoding="utf-8").strip() == stamp:
            outcome = DateOutcome(as_of, "skipped", "inputs unchanged")
            outcomes.append(outcome)
            if on_date:
                on_date(outcome)
        else:
            todo.append((as_of, stamp))
    for outcome in _run(todo, out_root, data, store, jobs):
        outcomes.append(outcome)
        if on_date:
            on_date(outcome)
    write_index(out_root)
    return sorted(outcomes, key=lambda item: item.as_of)


def _run(
    todo: list[tuple[date, str]], out_root: Path, data: DataRequest, store: Store, jobs: int
) -> Iterator[DateOutcome]:
    if jobs <= 1 or len(todo) <= 1:
        _init_worker(store)
        for as_of, stamp in todo:
            yield _build_one(as_of, out_root, data, stamp)
        return
    import_renderers()  # once, in the parent: every forked worker inherits them
    import generator.appendix  # noqa: F401 -- the workbook's writer too (a build imports it only to write)

    # the loaded store and the imported modules live as long as the workers: frozen, they are left
    # out of the collection each worker runs after every date (0.2 → 0.08 s a date)
    gc.collect()
    gc.freeze()
    context = multiprocessing.get_context("fork")  # workers inherit the loaded store without pickling it
    try:
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(store,)
        ) as pool:
            futures = [pool.submit(_build_one, as_of, out_root, data, stamp) for as_of, stamp in todo]
            for future in as_completed(futures):
                yield future.result()
    finally:
        gc.unfreeze()


def gaps_summary(manifest: dict) -> str:
    """Return what a build lacked: its unavailable figures (with reasons) and its stale series."""
    unavailable = manifest.get("unavailable", [])
    stale = sorted(key for key, entry in manifest.get("series", {}).items() if entry.get("status") == "stale")
    parts = []
    if unavailable:
        parts.append(
            f"{len(unavailable)} unavailable: "
            + "; ".join(f"{item['figure']} ({item['reason']})" for item in unavailable)
        )
    if stale:
        parts.append(f"{len(stale)} stale: {', '.join(stale)}")
    return " · ".join(parts) or "complete"


def write_index(out_root: Path) -> Path:
    """Write ``index.html`` listing every build folder under ``out_root``, newest first."""
    rows = []
    for folder in sorted(
        (path for path in out_root.iterdir() if path.is_dir() and not path.name.startswith(".")), reverse=True
    ):
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            continue
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        links = " · ".join(
            f'<a href="{html.escape(folder.name)}/{name}">{name}</a>'
            for name in ("note.pdf", "appendix.xlsx", "figures.json", "manifest.json")
            if (folder / name).is_file()
        )
        figures_path = folder / "figures.json"
        ten_year = ""
        if figures_path.is_file():
            figure = (
                json.loads(figures_path.read_text(encoding="utf-8")).get("figures", {}).get("ust10y.last")
            )
            ten_year = f"{figure['value']:.2f}%" if figure and figure.get("value") is not None else "n/a"
        demo = " (demo data)" if manifest.get("data", {}).get("demo") else ""
        gaps = html.escape(gaps_summary(manifest))
        rows.append(
            f"<tr><td>{html.escape(folder.name)}{demo}</td><td>{ten_year}</td><td>{links}</td>"
            f"<td class=gaps>{gaps}</td></tr>"
        )
    page = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>UST Weekly archive</title>\n'
        "<style>body{font-family:sans-serif;margin:2em}td{padding:.2em 1em;vertical-align:top}"
        "td.gaps{font-size:small;color:#555}</style></head><body>\n"
        "<h1>UST Weekly archive · 美债周报归档</h1>\n"
        "<table><tr><th>as of</th><th>10Y</th><th>files</th><th>unavailable / stale</th></tr>\n"
        + "\n".join(rows)
        + "\n</table></body></html>\n"
    )
    target = out_root / "index.html"
    write_text_atomic(target, page)
    return target
