"""``build_note``: the whole pipeline, one plain stage after another.

data folder → store → as-of cut → figures → exhibits → note → appendix → manifest

The exhibits are drawn on both cores; then the appendix is written beside the note
(generator/parallel.py). The PDF carries it and figures.json as attachments, so the note waits for it
after layout, just before writing the PDF.

Every output is written into a staging folder beside ``out`` and moved into place only when all
stages have succeeded, so a failed build leaves the previous outputs as they were; a second build into
the same ``out`` waits for the first (:mod:`generator.outputs`).
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Protocol

import pandas as pd

from charts.exhibits import EXHIBITS, Window, exhibit_frames
from charts.render import render_all
from generator import appendix_cache, note_cache, parallel
from generator.appendix_input import AppendixInput, source_rows
from generator.atomic import write_atomic
from generator.catalogue import CATALOGUE, SERIES
from generator.config import Branding
from generator.data import DataRequest, open_store
from generator.demo_inputs import DemoInput, find_demo_inputs
from generator.errors import DataError, StaleDataError, UnavailableFiguresError
from generator.exhibit_tables import exhibit_sheets
from generator.figures import (
    REFUNDING_MAX_AGE_DAYS,
    compute_figures,
    figures_document,
    unavailable_figures,
    write_figures_json,
)
from generator.file_names import appendix_file_name, edition_file_name, give_dated_names
from generator.formatting import format_date
from generator.inputs import AnalystInputs, load_inputs
from generator.note import coerce_exhibits
from generator.outputs import LOCK_WAIT_SECONDS, staged_output
from generator.publication import data_as_of
from generator.render import edition_name, write_note
from generator.store import PointInTime, SeriesStatus, Store
from generator.views import (
    Text,
    Views,
    check_view_conditions,
    dated_views_files,
    load_views,
    views_age_warning,
    views_that_hold,
)
from generator.wording import evaluate_claims

log = logging.getLogger(__name__)

SOFTWARE = ("ust-weekly", "pandas", "numpy", "matplotlib", "weasyprint", "jinja2", "openpyxl")


@dataclass(frozen=True)
class BuildRequest:
    """Everything a build depends on."""

    as_of: date
    data: DataRequest
    out: Path
    strict: bool = False
    analyst_dir: Path | None = None  #: refunding and tariff inputs; None = the shipped analyst/ folder
    views: Path | None = None  #: views.yaml or its folder; None = the analyst folder's, else the shipped one
    templates: Path | None = None  #: overlay folder searched before the built-in templates
    editions: tuple[tuple[str, ...], ...] = (("zh", "en"),)  #: PDFs to write; ("zh", "en") = bilingual
    windows: Mapping[str, Window] = field(default_factory=dict)  #: exhibit id → date window override
    branding: Branding | None = None  #: desk name and logo from the settings file
    dated_names: bool = False  #: write ust-weekly_<as-of>_zh.pdf … instead of note_zh.pdf (file_names)
    lock_wait_seconds: float = LOCK_WAIT_SECONDS  #: how long to wait for another build into ``out``


@dataclass
class BuildResult:
    """What a build wrote and noticed."""

    out: Path
    files: list[Path] = field(default_factory=list)
    stale: list[SeriesStatus] = field(default_factory=list)
    unavailable: list[dict[str, str]] = field(default_factory=list)  #: [{"figure", "reason"}]
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    demo_inputs: tuple[DemoInput, ...] = ()  #: placeholders (sample analysts, demo rows) in a real-data build
    views: dict = field(default_factory=dict)  #: the views file used, its date and its age in days


@contextmanager
def _stage(result: BuildResult, name: str, on_stage: Callable[[str], None] | None) -> Iterator[None]:
    if on_stage is not None:
        on_stage(name)
    started = time.perf_counter()
    yield
    result.timings[name] = round(time.perf_counter() - started, 3)
    log.info("stage %s done in %.2f s", name, result.timings[name])


def series_statuses(view: PointInTime) -> list[SeriesStatus]:
    """Return the status of every catalogue series at the view's as-of date."""
    keys = sorted({*view.store.series, *view.store.problems})
    return [view.status(key) for key in keys]


def essential_missing(view: PointInTime) -> list[str]:
    """Return the essential catalogue series with no value at the as-of date (nor their par-curve twin).

    Only these fail a build: without them the note cannot be written at all.
    """
    missing = []
    for spec in SERIES:
        if not spec.essential:
            continue
        if view.available(spec.key) or (spec.par is not None and view.available(spec.par)):
            continue
        missing.append(spec.key)
    return missing


def check_statuses(
    statuses: list[SeriesStatus], strict: bool, view: PointInTime | None = None
) -> list[SeriesStatus]:
    """Raise when an essential series is missing (and, with ``strict``, on stale ones); return the
    stale ones. Any other missing series is a warning: the figures reading it become unavailable."""
    by_key = {status.key: status for status in statuses}
    if view is not None and view.store.rejected:
        first, *others = view.store.rejected.values()
        more = f" (and {len(others)} more series: `ust-weekly check` lists them)" if others else ""
        raise DataError(f"{first}{more}")  # the file, line and what to do are in the message
    essential = (
        essential_missing(view)
        if view is not None
        else [key for key in by_key if by_key[key].missing and CATALOGUE[key].essential]
    )
    if essential:
        details = "; ".join(
            f"{key}: {by_key[key].problem if key in by_key else 'missing'}" for key in essential
        )
        raise DataError(
            f"essential series unavailable, the note cannot be written: {details}",
            hint="run `ust-weekly check` for details",
        )
    for status in statuses:
        if status.missing:
            log.info("series %s unavailable: %s", status.key, status.problem)
    stale = [status for status in statuses if status.stale]
    if stale and strict:
        names = ", ".join(status.key for status in stale)
        raise StaleDataError(f"stale series under --strict: {names}", hint="refresh with `ust-weekly fetch`")
    for status in stale:
        log.warning("stale series %s: %s", status.key, status.problem)
    return stale


def check_unavailable(unavailable: list[dict[str, str]], strict: bool) -> None:
    """Warn about every figure without a value; with ``strict`` they are an error (exit status 4)."""
    if unavailable and strict:
        names = ", ".join(item["figure"] for item in unavailable)
        raise UnavailableFiguresError(
            f"{len(unavailable)} figures unavailable under --strict: {names}",
            hint="run `ust-weekly check` for the reasons, or build without --strict",
        )
    for item in unavailable:
        log.warning("figure %s unavailable: %s", item["figure"], item["reason"])


class NoteSources(Protocol):
    """What :func:`note_views` reads from a request (a BuildRequest or a preview's request)."""

    @property
    def views(self) -> Path | None: ...

    @property
    def analyst_dir(self) -> Path | None: ...

    @property
    def branding(self) -> Branding | None: ...


def chart_cache_dir(data: DataRequest, as_of: date) -> Path:
    """Return the folder where the exhibits for ``as_of`` are drawn (and cached by content)."""
    return data.cache / "charts" / as_of.isoformat()


def drawn_charts_dir(data: DataRequest) -> Path:
    """Return the folder that keeps every exhibit drawn from these data by its key, for all dates."""
    return data.cache / "charts" / "drawn"


def import_renderers() -> None:
    """Import what drawing the exhibits and laying out the PDF need (a second of CPU, done once).

    A build imports them only when it draws or lays out; a caller that will, imports them early where
    that overlaps with other work (the data loading, the forks of backfill's workers).
    """
    import matplotlib.figure  # noqa: F401
    import weasyprint  # noqa: F401


def views_file(request: NoteSources) -> Path | None:
    """Return the views to use: --views (a file, or a folder of views.yaml / dated views/), else the
    analyst folder's, else None (the shipped one)."""
    if request.views is not None:
        return request.views
    folder = request.analyst_dir
    if folder is not None and ((folder / "views.yaml").is_file() or dated_views_files(folder)):
        return folder
    return None


def note_views(request: NoteSources, as_of: date | None = None) -> Views:
    """Return the house view for a note as of ``as_of`` (the newest dated views on or before it), with
    the desk name of the settings' [branding] if given."""
    views = load_views(views_file(request), as_of)
    branding = request.branding
    if branding is None or not (branding.desk or branding.desk_zh):
        return views
    desk = Text(zh=branding.desk_zh or views.desk.zh, en=branding.desk or views.desk.en)
    return views.model_copy(update={"desk": desk})


def data_cutoff(as_of: date) -> str:
    """Return the data cut-off line: what a build as of ``as_of`` could see."""
    zh = f"数据截至{format_date(as_of, 'zh')}（含）已发布数据"
    return f"data published on or before {as_of.isoformat()} · {zh}"


def tariff_frame(inputs: AnalystInputs, as_of: date) -> pd.DataFrame:
    """Return the tariff scenarios the analyst had on ``as_of`` as a frame (country, scenario, impacts)."""
    return pd.DataFrame([row.model_dump() for row in inputs.tariff_scenarios_as_of(as_of)])


def exhibit_captions(view: PointInTime, tariffs: pd.DataFrame) -> list[dict[str, str]]:
    """Return the caption fields of every exhibit the note shows, the source line saying what is missing
    at the as-of date. Without a tariff scenario on file the note leaves out the tariff exhibits (E11,
    E12), which would be empty boxes, and says so; the appendix keeps their sheets."""
    captions = []
    for exhibit in EXHIBITS.values():
        if exhibit.uses_tariffs and (tariffs is None or tariffs.empty):
            continue
        source_zh, source_en = exhibit.sources(view, tariffs if exhibit.uses_tariffs else None)
        title_zh, title_en = exhibit.titles(view)
        captions.append(
            {
                "id": exhibit.id,
                "title_zh": title_zh,
                "title_en": title_en,
                "unit_zh": exhibit.unit_zh,
                "unit_en": exhibit.unit_en,
                "source_zh": source_zh,
                "source_en": source_en,
                "series": exhibit.series,  # their catalogue endpoints become the source links
            }
        )
    return captions


def exhibit_gaps(view: PointInTime) -> dict[str, list[str]]:
    """Return exhibit id → the series it reads that have no value at the as-of date (only those with gaps)."""
    return {exhibit.id: exhibit.missing(view) for exhibit in EXHIBITS.values() if exhibit.missing(view)}


def software_versions() -> dict[str, str]:
    """Return the installed versions of the packages that shape the outputs."""
    versions = {}
    for name in SOFTWARE:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def manifest(
    request: BuildRequest, view: PointInTime, statuses: list[SeriesStatus], result: BuildResult
) -> dict:
    """Return the build's record: inputs with hashes, the last observation used per series, versions."""
    return {
        "as_of": request.as_of.isoformat(),
        "data_as_of": data_as_of(request.as_of).isoformat(),
        "unavailable": result.unavailable,
        "data": {
            "mode": request.data.mode,
            "folder": str(view.store.data_dir) if view.store.data_dir else None,
            "demo": request.data.is_demo,
        },
        "inputs": [{"path": item.path, "sha256": item.sha256} for item in view.store.files],
        "series": {
            status.key: {
                "status": status.status,
                "last_date": status.last_date.isoformat() if status.last_date else None,
                "published": status.last_published.isoformat() if status.last_published else None,
                "vintage": status.vintage,
                "files": list(status.files),
                "problem": status.problem,
            }
            for status in statuses
        },
        "editions": {
            "+".join(langs): edition_file_name(langs, request.as_of, request.dated_names)
            for langs in request.editions
        },
        "appendix": appendix_file_name(request.as_of, request.dated_names),
        "warnings": result.warnings,
        "demo_inputs": [str(item) for item in result.demo_inputs],
        "views": result.views,
        "software": software_versions(),
        "timings_seconds": result.timings,
    }


@dataclass(frozen=True)
class AppendixBook:
    """What the appendix of a build shows: the figures, every exhibit's data and the sources."""

    request: BuildRequest
    view: PointInTime
    figures: dict[str, object]
    tariffs: pd.DataFrame
    frames: Mapping[str, pd.DataFrame]  #: the frames the exhibits plot (charts.exhibits.exhibit_frames)

    def write(self, target: Path) -> None:
        request, view = self.request, self.view
        book = AppendixInput(
            as_of=request.as_of,
            cutoff=data_cutoff(request.as_of),
            demo=request.data.is_demo,
            title_zh=f"美债周报数据附录（截至{format_date(request.as_of, 'zh')}）",
            title_en=f"UST Weekly data appendix, as of {format_date(request.as_of, 'en')}",
            figures=self.figures,
            exhibits=exhibit_sheets(view, self.tariffs, frames=self.frames),
            sources=source_rows(view, sorted(view.store.series)),
        )
        # an unchanged appendix is not written again (it is the longest stage of a warm build); the
        # writer, and with it openpyxl, is imported only to write one
        write_atomic(
            target, appendix_cache.made(book, request.data.cache / "appendix", lambda: _workbook(book))
        )


def _workbook(book: AppendixInput) -> bytes:
    from generator.appendix import appendix_bytes

    return appendix_bytes(book)


def refunding_age_warnings(inputs: AnalystInputs, as_of: date) -> list[str]:
    """Return a warning when the analyst's latest refunding statement is older than a quarter."""
    released = [row.release_date for row in inputs.refunding if row.release_date <= as_of]
    if not released or (as_of - max(released)).days <= REFUNDING_MAX_AGE_DAYS:
        return []
    return [
        f"analyst input {inputs.refunding_file}: the latest refunding statement on file, of {max(released)}, "
        f"is {(as_of - max(released)).days} days old (Treasury refunds quarterly); add the newer statement"
    ]


def check_note_inputs(
    request: BuildRequest, views: Views, inputs: AnalystInputs, document: Mapping, result: BuildResult
) -> Views:
    """Record in ``result`` (and log) the demo inputs, the views used, how old they are, and every view
    paragraph whose stated condition the figures contradict; return the views without those paragraphs."""
    as_of = request.as_of
    result.demo_inputs = () if request.data.is_demo else find_demo_inputs(views, inputs, as_of)
    target = views.target_10y
    claims = evaluate_claims(document["figures"], as_of, target.low, target.high)
    age = views_age_warning(views, as_of)
    problems = [f"demo input: {item}" for item in result.demo_inputs]
    problems += refunding_age_warnings(inputs, as_of)
    problems += [
        f"views: {item}" for item in (*([age] if age else []), *check_view_conditions(views, claims, as_of))
    ]
    for problem in problems:
        log.warning("%s", problem)
    result.warnings.extend(problems)
    result.views = {
        "file": str(views.source) if views.source else None,
        "dated": views.dated.isoformat() if views.dated else None,
        "age_days": (as_of - views.dated).days if views.dated else None,
        "out_of_date": age is not None,
    }
    return views_that_hold(views, claims, as_of)


def build_note(
    request: BuildRequest, on_stage: Callable[[str], None] | None = None, store: Store | None = None
) -> BuildResult:
    """Run every stage for ``request`` and move the outputs into ``request.out`` all at once.

    ``store`` skips loading when the caller already holds the data (backfill loads once for many dates).
    """
    result = BuildResult(out=request.out)
    # a failed stage stops the appendix being written beside it before the staging folder goes
    with staged_output(request.out, request.lock_wait_seconds, on_failure=parallel.stop_all) as staging:
        with _stage(result, "load data", on_stage):
            # a date drawn for the first time needs matplotlib and WeasyPrint: imported while a child
            # process starts reading the data (a rebuild of a drawn date may need neither)
            first_time = not chart_cache_dir(request.data, request.as_of).is_dir()
            meanwhile = import_renderers if first_time else None
            view = (store or open_store(request.data, meanwhile=meanwhile)).as_of(request.as_of)
        with _stage(result, "check series", on_stage):
            statuses = series_statuses(view)
            result.stale = check_statuses(statuses, request.strict, view)
            result.warnings.extend(f"stale: {status.key} ({status.problem})" for status in result.stale)
        with _stage(result, "figures", on_stage):
            inputs = load_inputs(request.analyst_dir)
            figures = compute_figures(view, inputs)
            result.unavailable = unavailable_figures(figures)
            check_unavailable(result.unavailable, request.strict)
            result.warnings.extend(
                f"unavailable: {item['figure']} ({item['reason']})" for item in result.unavailable
            )
            document = figures_document(request.as_of, figures)
            write_figures_json(staging / "figures.json", document)
        with _stage(result, "exhibits", on_stage):  # on both cores (charts/render.py)
            tariffs = tariff_frame(inputs, request.as_of)
            frames = exhibit_frames(view, tariffs, request.windows)  # for the charts and the appendix
            chart_cache = chart_cache_dir(request.data, request.as_of)
            charts = render_all(
                view, tariffs, chart_cache, drawn=drawn_charts_dir(request.data), frames=frames
            )
            (staging / "charts").mkdir()
            for path in charts.values():
                shutil.copyfile(path, staging / "charts" / path.name)  # the umask's mode
        # the workbook is written on the second core while the note is laid out; the PDF carries it
        appendix_book = AppendixBook(request, view, document, tariffs, frames)
        appendix = parallel.start("appendix", lambda: appendix_book.write(staging / "appendix.xlsx"))
        with _stage(result, "note", on_stage), note_cache.kept_in(request.data.cache / "notes"):
            views = note_views(request, request.as_of)
            views = check_note_inputs(request, views, inputs, document, result)
            staged_charts = {key: staging / "charts" / path.name for key, path in charts.items()}
            exhibits = coerce_exhibits(exhibit_captions(view, tariffs), staged_charts)
            for exhibit_id, missing in exhibit_gaps(view).items():
                result.warnings.append(f"exhibit {exhibit_id} drawn without: {', '.join(missing)}")
            for langs in request.editions:
                write_note(
                    staging / edition_name(langs),
                    document,
                    exhibits,
                    views,
                    langs=langs,
                    templates_overlay=request.templates,
                    demo=request.data.is_demo,
                    stale=result.stale,
                    as_of=request.as_of,
                    logo=request.branding.logo if request.branding else None,
                    demo_inputs=result.demo_inputs,
                    attachments=(staging / "appendix.xlsx", staging / "figures.json"),
                    attachments_ready=appendix.wait,  # the PDF carries the workbook: wait for it
                )
        with _stage(result, "appendix", on_stage):
            appendix.wait()  # written beside the exhibits and the note (generator/parallel.py)
            result.timings["appendix (beside)"] = round(appendix.seconds, 3)
        with _stage(result, "manifest", on_stage):
            if request.dated_names:  # every stage wrote the fixed names; the folder gets dated ones
                give_dated_names(staging, request.editions, request.as_of)
            record = manifest(request, view, statuses, result)
            (staging / "manifest.json").write_text(
                json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
    result.files = sorted(path for path in request.out.iterdir() if path.is_file())
    return result
