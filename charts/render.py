"""Drawing exhibits to files: house style, deterministic bytes, and a cache keyed by what was plotted.

``render_exhibit("E07", view, tariffs, out)`` writes ``out/e07.svg`` and a sidecar ``out/e07.svg.cachekey``
holding the SHA-256 of the plotted frame, the style file, the charts code and the matplotlib version.
When the sidecar already holds that key and the image is there, nothing is drawn and the existing path is
returned; otherwise the exhibit is drawn inside ``style.context(HOUSE_STYLE, after_reset=True)`` on a
plain :class:`~matplotlib.figure.Figure` (no pyplot, so no global state) and saved without timestamps,
so the same data give byte-identical files.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

import pandas as pd

from charts.exhibits import EXHIBITS, Exhibit, Window
from generator.atomic import write_atomic, write_text_atomic
from generator.store import PointInTime

log = logging.getLogger(__name__)

HOUSE_STYLE = Path(__file__).with_name("house.mplstyle")
CODE_FILES = tuple(sorted(Path(__file__).parent.glob("*.py")))
FORMATS = ("svg", "png", "pdf")
#: metadata that would otherwise carry a timestamp, per format
NO_TIMESTAMPS: dict[str, dict[str, None]] = {
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
    "png": {},
}


def code_version() -> str:
    """Return the SHA-256 of the charts package's code, its style file and the matplotlib version."""
    # the installed version, read without importing matplotlib (a build whose charts are cached needs none)
    digest = hashlib.sha256(f"matplotlib {metadata.version('matplotlib')}\n".encode())
    for path in (*CODE_FILES, HOUSE_STYLE):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def frame_bytes(frame: pd.DataFrame) -> bytes:
    """Return the frame as CSV bytes at full precision: the part of the cache key that is data."""
    return frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d").encode("utf-8")


def cache_key(exhibit_id: str, frame: pd.DataFrame, fmt: str) -> str:
    """Return the hex SHA-256 of everything a drawn exhibit depends on."""
    digest = hashlib.sha256(f"{exhibit_id}\0{fmt}\0{code_version()}\0".encode())
    digest.update(frame_bytes(frame))
    return digest.hexdigest()


def exhibit_path(target_dir: Path, exhibit_id: str, fmt: str = "svg") -> Path:
    """Return where exhibit ``exhibit_id`` is written: ``target_dir/e07.svg``."""
    return target_dir / f"{exhibit_id.lower()}.{fmt}"


def draw_figure(exhibit: Exhibit, frame: pd.DataFrame, fmt: str) -> bytes:
    """Return the exhibit drawn in the house style, as file bytes in ``fmt``."""
    from matplotlib import style
    from matplotlib.figure import Figure

    with style.context(HOUSE_STYLE, after_reset=True):
        figure = Figure()
        exhibit.draw(figure.subplots(), frame)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, metadata=NO_TIMESTAMPS[fmt])
    return buffer.getvalue()


def render_exhibit(
    exhibit_id: str,
    view: PointInTime | None,
    tariffs: pd.DataFrame | None,
    target_dir: Path,
    fmt: str = "svg",
    window: Window | None = None,
) -> Path:
    """Return the path of exhibit ``exhibit_id`` in ``target_dir``, drawing it only if its inputs changed."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown exhibit format {fmt!r}; use one of {', '.join(FORMATS)}")
    exhibit = EXHIBITS[exhibit_id]
    frame = exhibit.frame(view, tariffs, window)
    target = exhibit_path(target_dir, exhibit_id, fmt)
    sidecar = target.with_name(target.name + ".cachekey")
    key = cache_key(exhibit_id, frame, fmt)
    if target.is_file() and sidecar.is_file() and sidecar.read_text(encoding="utf-8").strip() == key:
        log.debug("exhibit %s: unchanged (%s), not redrawn", exhibit_id, key[:12])
        return target
    log.info("exhibit %s: drawing %s (%d rows)", exhibit_id, target.name, len(frame))
    write_atomic(target, draw_figure(exhibit, frame, fmt))
    write_text_atomic(sidecar, key + "\n")
    return target


def render_all(
    view: PointInTime | None,
    tariffs: pd.DataFrame | None,
    target_dir: Path,
    fmt: str = "svg",
    windows: Mapping[str, Window] | None = None,
) -> dict[str, Path]:
    """Return exhibit id → path for all twelve exhibits, drawing those whose inputs changed.

    ``windows`` overrides the default date window of some exhibits (id → window).
    """
    chosen = windows or {}
    return {
        exhibit_id: render_exhibit(exhibit_id, view, tariffs, target_dir, fmt, window=chosen.get(exhibit_id))
        for exhibit_id in EXHIBITS
    }
