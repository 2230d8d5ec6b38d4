"""``make bench``: time the main stages on the demo data and on ../shared/data if present; print figures.

Speed is measured here, not asserted in tests. Each stage runs a few times; the best and median wall
times are printed in seconds.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from generator.build import BuildRequest, build_note
from generator.catalogue import SERIES
from generator.data import DATA_DIR, DEMO, DataRequest, data_folder
from generator.store import load_store

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
AS_OF = date(2025, 2, 7)


def _time(label: str, action: Callable[[], object], repeat: int = 3) -> None:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    sys.stdout.write(f"{label:<48} best {min(samples):7.3f} s   median {statistics.median(samples):7.3f} s\n")


def main() -> None:
    """Print timings of data generation, loading and as-of cuts."""
    with tempfile.TemporaryDirectory() as cache:
        demo = DataRequest(mode=DEMO, cache_dir=Path(cache))
        _time("demo data: generate and write (first run)", lambda: data_folder(demo), repeat=1)
        _time("demo data: reuse (stamp hit)", lambda: data_folder(demo))
        folder = data_folder(demo)
        _time("store: load every series (demo)", lambda: load_store(folder, SERIES))
        store = load_store(folder, SERIES)
        _time(
            "store: cut every series as of a date (demo)",
            lambda: [store.as_of(AS_OF).series(k) for k in store.series],
        )
        with tempfile.TemporaryDirectory() as out:
            _stages("build (demo), cold chart cache", demo, Path(out) / "a")
            _stages("build (demo), warm chart cache", demo, Path(out) / "b")
    if SHARED_DATA.is_dir():
        shared = DataRequest(mode=DATA_DIR, data_dir=SHARED_DATA)
        _time("store: load every series (../shared/data)", lambda: load_store(data_folder(shared), SERIES))
        with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
            shared_cached = DataRequest(mode=DATA_DIR, data_dir=SHARED_DATA, cache_dir=Path(cache))
            _stages("build (../shared/data)", shared_cached, Path(out) / "a")


def _stages(label: str, data: DataRequest, out: Path) -> None:
    started = time.perf_counter()
    result = build_note(BuildRequest(as_of=AS_OF, data=data, out=out))
    total = time.perf_counter() - started
    stages = "  ".join(f"{name} {seconds:.2f}" for name, seconds in result.timings.items())
    sizes = "  ".join(f"{path.name} {path.stat().st_size // 1024} KiB" for path in result.files)
    sys.stdout.write(f"{label:<48} total {total:7.3f} s   [{stages}]\n{'':<48} {sizes}\n")


if __name__ == "__main__":
    main()
