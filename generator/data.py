"""Where a build's data come from: the synthetic demo set, a --data-dir folder, or the live cache.

Each choice ends as a folder of publisher files that :func:`generator.store.load_store` reads, so the
rest of the pipeline does not know or care where the files came from.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from generator.catalogue import SERIES, SeriesSpec, specs_by_file
from generator.errors import DataError
from generator.parse_cache import kept_in
from generator.sources import FetchResult, fetch_file
from generator.sources.http import HttpClient
from generator.store import Store, load_store
from generator.validate import WidenedBound, widen_bounds

log = logging.getLogger(__name__)

DEMO = "demo"
DATA_DIR = "data-dir"
LIVE = "live"


def default_cache_dir() -> Path:
    """Return the per-user cache folder (e.g. ~/.cache/ust-weekly on Linux)."""
    return Path(user_cache_dir("ust-weekly", appauthor=False))


@dataclass(frozen=True)
class DataRequest:
    """Which data a command uses: ``mode`` is demo, data-dir or live."""

    mode: str = DEMO
    data_dir: Path | None = None
    cache_dir: Path | None = None
    widened: tuple[WidenedBound, ...] = ()  #: the settings' [validation.bounds]

    @property
    def cache(self) -> Path:
        return self.cache_dir or default_cache_dir()

    @property
    def is_demo(self) -> bool:
        return self.mode == DEMO


def data_folder(request: DataRequest) -> Path:
    """Return the folder of publisher files for ``request``; demo data are generated on first use."""
    if request.mode == DATA_DIR:
        if request.data_dir is None or not request.data_dir.is_dir():
            raise DataError("data folder not found", file=request.data_dir, hint="check --data-dir")
        return request.data_dir
    if request.mode == LIVE:
        folder = request.cache / "live"
        if not folder.is_dir():
            raise DataError(
                "no live data cached yet",
                file=folder,
                hint="run `ust-weekly fetch` first (needs the internet)",
            )
        return folder
    from generator.demo import default_demo_dir, write_demo_data

    folder = write_demo_data(default_demo_dir(request.cache))
    remove_old_demo_data(request.cache, keep=folder)
    return folder


def remove_old_demo_data(cache: Path, keep: Path) -> None:
    """Delete demo data sets of earlier versions of the generator (they are never read again)."""
    for folder in cache.glob("demo-*"):
        if folder.is_dir() and folder != keep:
            shutil.rmtree(folder, ignore_errors=True)


def open_store(
    request: DataRequest,
    specs: tuple[SeriesSpec, ...] = SERIES,
    meanwhile: Callable[[], object] | None = None,
) -> Store:
    """Load every catalogue series from the folder ``request`` designates (parsed files kept in its cache,
    bounds as the settings widen them); ``meanwhile`` runs beside the loading (see load_store)."""
    with kept_in(request.cache / "parsed"):
        return load_store(
            data_folder(request),
            widen_bounds(specs, request.widened),
            origin=request.mode,
            meanwhile=meanwhile,
        )


def fetch_all(
    cache_dir: Path,
    http: HttpClient,
    specs: tuple[SeriesSpec, ...] = SERIES,
    on_file: Callable[[FetchResult], None] | None = None,
) -> list[FetchResult]:
    """Download every canonical file into ``cache_dir/live``; failures keep the last good copy.

    Series without a free public feed (``live=False``) are skipped.
    """
    results = []
    for group in iter_file_groups(tuple(spec for spec in specs if spec.live)):
        result = fetch_file(group, http, cache_dir / "live")
        results.append(result)
        if on_file is not None:
            on_file(result)
    return results


def iter_file_groups(specs: tuple[SeriesSpec, ...] = SERIES) -> Iterator[list[SeriesSpec]]:
    """Yield the catalogue grouped by canonical file, in a stable order."""
    grouped = specs_by_file(specs)
    for name in sorted(grouped):
        yield grouped[name]
