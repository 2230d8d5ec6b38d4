"""Drawing exhibits to files: house style, deterministic bytes, and a cache keyed by what was plotted.

``render_exhibit("E07", view, tariffs, out)`` writes ``out/e07.svg`` and a sidecar ``out/e07.svg.cachekey``
holding the SHA-256 of the plotted frame, the style file, the charts code and the matplotlib version.
When the sidecar already holds that key and the image is there, nothing is drawn and the existing path is
returned; otherwise the exhibit is drawn inside ``style.context(HOUSE_STYLE, after_reset=True)`` on a
plain :class:`~matplotlib.figure.Figure` (no pyplot, so no global state) and saved without timestamps,
so the same data give byte-identical files.

A drawing depends on nothing but the exhibit and its frame, so with ``drawn`` (a folder shared by every
date's folder) an exhibit whose frame another date already plotted is copied from ``drawn/<key>.svg``
instead of drawn again. Monthly and quarterly data change a frame once a month or a quarter: of the 12
exhibits of a Friday in 2024, 5 to 8 plotted the same frame as the Friday before.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pandas as pd

from charts.exhibits import EXHIBITS, Exhibit, Window, exhibit_frames
from generator import parallel
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
        exhibit.plot(figure.subplots(), frame)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, metadata=NO_TIMESTAMPS[fmt])
    return buffer.getvalue()


@dataclass(frozen=True)
class Drawing:
    """One exhibit to draw or reuse: where it goes, what it shows and the key of its inputs."""

    exhibit_id: str
    target: Path
    frame: pd.DataFrame
    key: str
    fmt: str
    drawn: Path | None = None  #: the folder of exhibits drawn before, by key (shared by all dates)

    @property
    def sidecar(self) -> Path:
        return self.target.with_name(self.target.name + ".cachekey")

    @property
    def kept(self) -> Path | None:
        """Return where the shared folder keeps this drawing (None without a shared folder)."""
        return None if self.drawn is None else self.drawn / f"{self.key}.{self.fmt}"

    @property
    def drawn_before(self) -> Path | None:
        """Return the same drawing made for another date (same key), if there is one."""
        kept = self.kept
        return kept if kept is not None and kept.is_file() else None

    def is_current(self) -> bool:
        """Return whether the file on disk was drawn from these inputs."""
        sidecar = self.sidecar
        return (
            self.target.is_file()
            and sidecar.is_file()
            and sidecar.read_text(encoding="utf-8").strip() == self.key
        )

    def draw(self) -> Path:
        """Draw the exhibit into its file (and its key beside it), or copy the same drawing made for another
        date; return the path."""
        before = self.drawn_before
        if before is not None:
            log.info("exhibit %s: same data as drawn before (%s), copied", self.exhibit_id, self.key[:12])
            data = before.read_bytes()
        else:
            log.info("exhibit %s: drawing %s (%d rows)", self.exhibit_id, self.target.name, len(self.frame))
            data = draw_figure(EXHIBITS[self.exhibit_id], self.frame, self.fmt)
            if self.kept is not None:
                write_atomic(self.kept, data)
        write_atomic(self.target, data)
        write_text_atomic(self.sidecar, self.key + "\n")
        return self.target


def plan_drawing(
    exhibit_id: str,
    view: PointInTime | None,
    tariffs: pd.DataFrame | None,
    target_dir: Path,
    fmt: str = "svg",
    window: Window | None = None,
    drawn: Path | None = None,
) -> Drawing:
    """Return what exhibit ``exhibit_id`` shows, where it is written and the key of its inputs."""
    return drawing_of(exhibit_id, EXHIBITS[exhibit_id].frame(view, tariffs, window), target_dir, fmt, drawn)


def drawing_of(
    exhibit_id: str, frame: pd.DataFrame, target_dir: Path, fmt: str = "svg", drawn: Path | None = None
) -> Drawing:
    """Return the drawing of exhibit ``exhibit_id`` plotting ``frame``, written in ``target_dir``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown exhibit format {fmt!r}; use one of {', '.join(FORMATS)}")
    target = exhibit_path(target_dir, exhibit_id, fmt)
    return Drawing(exhibit_id, target, frame, cache_key(exhibit_id, frame, fmt), fmt, drawn)


def render_exhibit(
    exhibit_id: str,
    view: PointInTime | None,
    tariffs: pd.DataFrame | None,
    target_dir: Path,
    fmt: str = "svg",
    window: Window | None = None,
    drawn: Path | None = None,
) -> Path:
    """Return the path of exhibit ``exhibit_id`` in ``target_dir``, drawing it only if its inputs changed
    (and ``drawn``, the folder shared by all dates, does not hold the same drawing)."""
    drawing = plan_drawing(exhibit_id, view, tariffs, target_dir, fmt, window, drawn)
    if drawing.is_current():
        log.debug("exhibit %s: unchanged (%s), not redrawn", exhibit_id, drawing.key[:12])
        return drawing.target
    return drawing.draw()


def render_all(
    view: PointInTime | None,
    tariffs: pd.DataFrame | None,
    target_dir: Path,
    fmt: str = "svg",
    windows: Mapping[str, Window] | None = None,
    drawn: Path | None = None,
    frames: Mapping[str, pd.DataFrame] | None = None,
) -> dict[str, Path]:
    """Return exhibit id → path for all twelve exhibits, drawing those whose inputs changed.

    ``windows`` overrides the default date window of some exhibits (id → window); ``drawn`` is the
    folder shared by all dates that keeps every drawing by key; ``frames`` are the exhibits' frames
    when the caller has them already (:func:`charts.exhibits.exhibit_frames` of the same view, tariffs
    and windows). When several must be drawn, this process and a child on the second core take them in
    turn (:func:`generator.parallel.map_shared`).
    """
    if frames is None:
        frames = exhibit_frames(view, tariffs, windows)
    drawings = [drawing_of(exhibit_id, frames[exhibit_id], target_dir, fmt, drawn) for exhibit_id in EXHIBITS]
    to_draw = []
    for drawing in drawings:
        if drawing.is_current():
            continue
        if drawing.drawn_before is not None:
            drawing.draw()  # a copy: no matplotlib, no second process
        else:
            to_draw.append(drawing)
    if len(to_draw) > 1:
        _import_matplotlib()  # once, before the fork, so that both processes have it
    parallel.map_shared("drawing exhibits", to_draw, Drawing.draw)
    return {drawing.exhibit_id: drawing.target for drawing in drawings}


def _import_matplotlib() -> None:
    import matplotlib.figure  # noqa: F401
