"""``ust-weekly preview``: the note as a live HTML page on 127.0.0.1 that follows every edit.

The page is the HTML that goes to WeasyPrint (same templates, same CSS), shown one A4 page wide with
the page margins of the note's ``@page`` rule, plus a small bar with a PDF link and a script that polls
``/_preview/version`` and reloads the page when the note changed (the scroll position is kept).

What is redone after a change (files are watched with ``watchfiles``; demo data never change):

- the data folder (``--data-dir``, or the live cache): load the store, check the series, figures,
  every exhibit, HTML;
- analyst inputs (refunding.csv, tariff scenarios): figures, the two tariff exhibits, HTML;
- views.yaml: the views, HTML;
- templates, CSS, labels.yaml (built-in or overlay): the HTML only (Jinja re-reads the files).

A stage that fails (a template error, an invalid views.yaml, …) shows an error page with the file,
line and message, which reloads itself like the note once the file is fixed.

Served paths: ``/`` the note; ``/note.pdf`` the PDF (:func:`generator.render.write_note`);
``/_preview/files/<n>/<path>`` a file of the n-th allowed folder (the template folders, overlay first,
then the chart folder: the ``file:`` URLs of the HTML are rewritten to these); any other path is a
file of the first template folder, which is where relative URLs resolve for WeasyPrint too. Nothing
outside those folders is ever served.

Library use (the CLI's ``preview`` command calls :func:`serve_preview`)::

    server = PreviewServer(PreviewRequest(as_of=date(2025, 6, 6), data=DataRequest()))
    server.start()          # first build, then watching and serving; server.url
    ...
    server.stop()
"""

from __future__ import annotations

import gc
import hashlib
import html as html_lib
import json
import logging
import mimetypes
import re
import shutil
import tempfile
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pandas as pd
import watchfiles

from charts.exhibits import EXHIBITS
from charts.render import render_all, render_exhibit
from generator.build import (
    chart_cache_dir,
    check_statuses,
    drawn_charts_dir,
    exhibit_captions,
    note_views,
    series_statuses,
    tariff_frame,
)
from generator.collector import full_collections_deferred
from generator.config import Branding
from generator.data import DATA_DIR, LIVE, DataRequest, data_folder, open_store
from generator.demo_inputs import find_demo_inputs
from generator.errors import UstWeeklyError
from generator.figures import compute_figures, figures_document
from generator.inputs import (
    PIIE_TEXT_FIGURES_FILE,
    REFUNDING_FILE,
    SHIPPED_ANALYST_DIR,
    TARIFF_FILE,
    load_inputs,
)
from generator.note import NoteInputs, coerce_exhibits
from generator.render import (
    BUNDLED_TEMPLATES,
    edition_name,
    note_inputs,
    render_html,
    resource_roots,
    template_dirs,
    write_note,
)
from generator.store import PointInTime, SeriesStatus, Store
from generator.views import SHIPPED_VIEWS, VIEWS_NAME, Views, views_that_hold
from generator.wording import evaluate_claims

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
VERSION_PATH = "/_preview/version"
FILES_PREFIX = "/_preview/files/"
PDF_PATH = "/note.pdf"
INPUT_FILES = (REFUNDING_FILE, TARIFF_FILE, PIIE_TEXT_FIGURES_FILE)
TARIFF_EXHIBITS = tuple(exhibit_id for exhibit_id, exhibit in EXHIBITS.items() if exhibit.uses_tariffs)
#: page sizes of the @page ``size`` keyword, portrait (width, height)
PAGE_SIZES = {
    "a3": ("297mm", "420mm"),
    "a4": ("210mm", "297mm"),
    "a5": ("148mm", "210mm"),
    "letter": ("8.5in", "11in"),
    "legal": ("8.5in", "14in"),
}
DEFAULT_MARGIN = "21mm 15mm 18mm 15mm"


class Stage(Enum):
    """What a change invalidates: data → figures and exhibits → HTML; inputs → the same; views → HTML."""

    DATA = "data"
    INPUTS = "inputs"
    VIEWS = "views"
    HTML = "html"


@dataclass(frozen=True)
class PreviewRequest:
    """Everything a preview depends on (the same choices as a build, minus the output folder)."""

    as_of: date
    data: DataRequest
    analyst_dir: Path | None = None  #: refunding and tariff inputs; None = the shipped analyst/ folder
    views: Path | None = None  #: views.yaml or its folder; None = the analyst folder's, else the shipped one
    templates: Path | None = None  #: overlay folder searched before the built-in templates
    langs: tuple[str, ...] = ("zh", "en")  #: editions shown, in order
    branding: Branding | None = None  #: desk name and logo from the settings file
    port: int = 0  #: 0 = any free port
    debounce_ms: int = 300  #: changes closer together than this are handled as one
    poll_ms: int = 500  #: how often the page asks whether the note changed
    pdf_ahead: bool = False  #: render the PDF after each change, before the link is clicked (CLI default)


@dataclass(frozen=True)
class Page:
    """One published state of the preview: the page, its version and what the PDF is made from."""

    version: int
    body: bytes
    ok: bool
    roots: tuple[Path, ...]
    note: NoteInputs | None = None


# --- the page ---------------------------------------------------------------------------------------


def page_geometry(html: str) -> tuple[str, str]:
    """Return (page width, page margins) as CSS lengths from the first ``@page`` rule (default A4)."""
    width, margin = PAGE_SIZES["a4"][0], DEFAULT_MARGIN
    match = re.search(r"@page\s*\{([^{}]*)", html)
    if match is None:
        return width, margin
    rule = match.group(1)
    size = re.search(r"(?<![-\w])size\s*:\s*([^;]+);", rule)
    if size:
        words = size.group(1).lower().split()
        if words and words[0] in PAGE_SIZES:
            portrait, landscape = PAGE_SIZES[words[0]]
            width = landscape if "landscape" in words else portrait
        elif words and re.fullmatch(r"[\d.]+(mm|cm|in|pt|px)", words[0]):
            width = words[0]
    margins = re.search(r"(?<![-\w])margin\s*:\s*([^;]+);", rule)
    if margins:
        margin = margins.group(1).strip()
    return width, margin


def file_stamp(path: Path) -> str:
    """Return a short token that changes whenever the file changes (modification time and size)."""
    try:
        stat = path.stat()
    except OSError:
        return "0"
    return f"{stat.st_mtime_ns:x}-{stat.st_size:x}"


def resource_url(path: Path, roots: Iterable[Path]) -> str | None:
    """Return the preview URL of a local file, or None when it lies outside every allowed folder."""
    resolved = path.resolve()
    for index, root in enumerate(roots):
        if resolved.is_relative_to(root):
            relative = quote(resolved.relative_to(root).as_posix())
            return f"{FILES_PREFIX}{index}/{relative}?v={file_stamp(resolved)}"
    return None


def link_resources(html: str, roots: Iterable[Path]) -> str:
    """Return ``html`` with every ``file:`` URL under ``roots`` turned into a preview URL.

    A file outside the allowed folders gets a URL that is never served (WeasyPrint refuses it too).
    """
    folders = [Path(root).resolve() for root in roots]

    def replace(match: re.Match[str]) -> str:
        path = Path(unquote(match.group(1)))
        url = resource_url(path, folders)
        if url is None:
            log.warning("preview: %s is outside the template and chart folders; not served", path)
            return f"{FILES_PREFIX}refused/{quote(path.name)}"
        return url

    return re.sub(r"file://(?:localhost)?(/[^\s\"'<>()]*)", replace, html)


def _screen_style(width: str, margin: str) -> str:
    return f"""<style id="ust-preview-style">
@media screen {{
  html {{ background: #7d8691; }}
  body {{ box-sizing: border-box; width: {width}; min-height: 100vh; margin: 0 auto 8mm;
         padding: {margin}; background: #fff; box-shadow: 0 0 6px rgba(0, 0, 0, 0.45); }}
  body > article + article {{ border-top: 1px dashed #7d8691; margin-top: 12mm; padding-top: 12mm; }}
  #ust-preview-bar {{ position: fixed; top: 0; right: 0; z-index: 1000; padding: 3px 10px;
         font: 12px/1.6 system-ui, sans-serif; color: #fff; background: #1b1f24; opacity: 0.9; }}
  #ust-preview-bar a {{ color: #9cc3ff; margin-left: 8px; }}
  #ust-preview-bar.busy::after {{ content: " · rebuilding…"; }}
  #ust-preview-bar.offline::after {{ content: " · server stopped"; color: #ffb0b0; }}
}}
@media print {{ #ust-preview-bar {{ display: none; }} }}
</style>"""


def _reload_script(version: int, poll_ms: int) -> str:
    return f"""<script id="ust-preview-reload">
(function () {{
  var version = "{version}", key = "ust-preview-scroll", wait = {poll_ms};
  try {{
    var y = sessionStorage.getItem(key);
    if (y !== null) {{
      sessionStorage.removeItem(key);
      window.addEventListener("load", function () {{ window.scrollTo(0, Number(y)); }});
    }}
  }} catch (e) {{}}
  function bar(name, on) {{
    var element = document.getElementById("ust-preview-bar");
    if (element) element.classList.toggle(name, on);
  }}
  function poll() {{
    fetch("{VERSION_PATH}", {{cache: "no-store"}}).then(function (response) {{
      return response.json();
    }}).then(function (state) {{
      bar("offline", false);
      bar("busy", state.busy);
      if (String(state.version) !== version) {{
        try {{ sessionStorage.setItem(key, String(window.scrollY)); }} catch (e) {{}}
        location.reload();
      }} else {{
        setTimeout(poll, wait);
      }}
    }}, function () {{
      bar("offline", true);
      setTimeout(poll, wait * 4);
    }});
  }}
  setTimeout(poll, wait);
}})();
</script>"""


def _bar(version: int, ok: bool, pdf_name: str) -> str:
    state = "" if ok else " · error"
    stamp = time.strftime("%H:%M:%S")
    return (
        f'<div id="ust-preview-bar">UST Weekly preview · v{version} · {stamp}{state}'
        f'<a href="{PDF_PATH}" target="_blank" title="{pdf_name}">PDF</a></div>'
    )


def decorate(html: str, version: int, ok: bool, poll_ms: int, pdf_name: str = "note.pdf") -> str:
    """Return the page: ``html`` with the screen layout, the preview bar and the reload script added."""
    width, margin = page_geometry(html)
    head = _screen_style(width, margin) + _reload_script(version, poll_ms)
    if re.search(r"</head\s*>", html, re.IGNORECASE):
        html = re.sub(r"</head\s*>", lambda match: head + match.group(0), html, count=1, flags=re.IGNORECASE)
    else:
        html = head + html
    bar = _bar(version, ok, pdf_name)
    body = re.search(r"<body\b[^>]*>", html, re.IGNORECASE)
    if body is None:
        return html + bar
    return html[: body.end()] + bar + html[body.end() :]


def _excerpt(file: str | None, line: int | None, around: int = 3) -> str:
    """Return the lines around ``line`` of ``file`` as HTML (the line itself marked), or ''."""
    if not file or not line:
        return ""
    try:
        lines = Path(file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    first, last = max(1, line - around), min(len(lines), line + around)
    rows = []
    for number in range(first, last + 1):
        mark = ' class="here"' if number == line else ""
        rows.append(f"<span{mark}>{number:>5}  {html_lib.escape(lines[number - 1])}</span>")
    return '<pre class="excerpt">' + "\n".join(rows) + "</pre>"


ERROR_TITLES = {
    "TemplateError": "Template error",
    "ConfigError": "Input error",
    "DataError": "Data error",
    "StaleDataError": "Data error",
    "SourceError": "Data error",
}


def error_html(exc: BaseException) -> str:
    """Return an HTML page describing ``exc``: kind, file and line, message, hint and source excerpt."""
    escape = html_lib.escape
    if isinstance(exc, UstWeeklyError):
        title = ERROR_TITLES.get(type(exc).__name__, "Error")
        where = ""
        if exc.file:
            location = f"{exc.file}:{exc.line}" if exc.line else exc.file
            where = f'<p class="where">{escape(location)}</p>'
            if exc.line:
                where += f'<p class="line">{escape(Path(exc.file).name)}, line {exc.line}</p>'
        details = f'<pre class="message">{escape(exc.message)}</pre>'
        if exc.series:
            details += f'<p class="series">series: {escape(exc.series)}</p>'
        if exc.hint:
            details += f'<p class="hint">{escape(exc.hint)}</p>'
        details += _excerpt(exc.file, exc.line)
    else:
        title = f"Unexpected error ({type(exc).__name__})"
        where = ""
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        details = f'<pre class="message">{escape(str(exc))}</pre><pre class="trace">{escape(trace)}</pre>'
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)} · UST Weekly preview</title>
<style>
@page {{ size: A4; margin: 15mm; }}
body {{ font: 14px/1.5 system-ui, sans-serif; color: #1b1f24; }}
h1 {{ color: #c8102e; font-size: 20px; }}
.where {{ font: 600 14px ui-monospace, monospace; }}
.message {{ white-space: pre-wrap; background: #fff3f3; border-left: 4px solid #c8102e; padding: 8px; }}
.excerpt {{ background: #f4f6f9; padding: 8px; overflow-x: auto; }}
.excerpt .here {{ background: #ffd7d7; font-weight: 700; }}
.trace {{ font-size: 12px; color: #5f6b7a; white-space: pre-wrap; }}
</style>
</head>
<body>
<main class="preview-error">
<h1>{escape(title)}</h1>
{where}
{details}
<p>The page reloads by itself when the file is fixed.</p>
</main>
</body>
</html>
"""


# --- what to rebuild ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchPlan:
    """The folders watched and which stage a change under each invalidates."""

    data: tuple[Path, ...]
    analyst: tuple[Path, ...]
    views: tuple[Path, ...]
    templates: tuple[Path, ...]

    def folders(self) -> list[Path]:
        """Return the folders to watch with their subfolders: existing, distinct, none inside another."""
        return _outermost({*self.data, *self.analyst, *self.templates})

    def flat_folders(self) -> list[Path]:
        """Return the folders of views files not already watched, to watch without their subfolders."""
        covered = self.folders()
        parents = {path.parent for path in self.views}
        return _outermost(
            {folder for folder in parents if not any(folder.is_relative_to(other) for other in covered)}
        )

    def stage_for(self, path: Path) -> Stage | None:
        """Return the stage a change of ``path`` invalidates, or None if the note does not use it."""
        path = path.resolve()
        if any(path.is_relative_to(folder) for folder in self.data):
            return Stage.DATA
        if path.name in INPUT_FILES and path.parent in self.analyst:
            return Stage.INPUTS
        if path in self.views or (path.name == VIEWS_NAME and path.parent in self.analyst):
            return Stage.VIEWS
        if any(path.is_relative_to(folder) for folder in self.templates):
            return Stage.HTML
        return None

    def stages_for_changes(self, paths: Iterable[Path]) -> set[Stage]:
        """Return the stages ``paths`` invalidate (empty: nothing the note uses changed)."""
        return {stage for stage in map(self.stage_for, paths) if stage is not None}


def _outermost(folders: Iterable[Path]) -> list[Path]:
    """Return the existing folders among ``folders`` that are not inside another one, sorted."""
    existing = sorted(folder for folder in set(folders) if folder.is_dir())
    return [
        folder
        for folder in existing
        if not any(other != folder and folder.is_relative_to(other) for other in existing)
    ]


def watch_plan(request: PreviewRequest) -> WatchPlan:
    """Return what to watch for ``request``: data folder, analyst folders, views file, template folders."""
    data: tuple[Path, ...] = ()
    if request.data.mode in (DATA_DIR, LIVE):
        try:
            data = (data_folder(request.data).resolve(),)
        except UstWeeklyError:
            data = ()
    analyst = tuple(
        dict.fromkeys(
            folder.resolve() for folder in (request.analyst_dir, SHIPPED_ANALYST_DIR) if folder is not None
        )
    )
    views = [SHIPPED_VIEWS.resolve()]
    if request.views is not None:
        chosen = request.views / VIEWS_NAME if request.views.is_dir() else request.views
        views.append(chosen.resolve())
    templates = [BUNDLED_TEMPLATES.resolve()]
    if request.templates is not None:
        templates.insert(0, request.templates.resolve())
    unique_views = tuple(dict.fromkeys(views))
    return WatchPlan(data=data, analyst=analyst, views=unique_views, templates=tuple(templates))


# --- the state behind the page ------------------------------------------------------------------------


@dataclass
class _Work:
    """Intermediate results kept between rebuilds, so a change redoes only its stage and those below."""

    store: Store | None = None
    view: PointInTime | None = None
    stale: list[SeriesStatus] = field(default_factory=list)
    figures: dict[str, Any] | None = None
    tariffs: pd.DataFrame | None = None
    charts: dict[str, Path] = field(default_factory=dict)
    charts_current: bool = False  #: False after the data changed: every exhibit must be redrawn
    views: Views | None = None


class PreviewServer:
    """The preview: builds the note once, then watches its files, rebuilds and serves it over HTTP."""

    def __init__(self, request: PreviewRequest, store: Store | None = None) -> None:
        """``store`` skips the first load when the caller already holds the data (a data change reloads)."""
        self.request = request
        self._given_store = store
        self.plan = watch_plan(request)
        #: stages run, most recent last ("data", "figures", "views", "html"), for the log and the tests
        self.history: list[tuple[str, ...]] = []
        self._work = _Work()
        self._pending: set[Stage] = set(Stage)  # stages not yet computed successfully
        self._lock = threading.Lock()
        self._build_lock = threading.Lock()  # one rebuild at a time
        self._changed = threading.Condition(self._lock)
        self._changes: set[Path] = set()
        self._busy = False
        self._digest = ""
        self._page = Page(0, b"", False, tuple(template_dirs(None)))
        self._pdf_lock = threading.Lock()
        self._pdf_cache: tuple[int, bytes] | None = None
        self._render_garbage = False  #: a render left its laid-out note for a full collection
        self._pdf_wanted = threading.Event()  # a new version to render ahead (request.pdf_ahead)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._http: ThreadingHTTPServer | None = None

    # --- life cycle

    @property
    def port(self) -> int:
        """Return the TCP port the server is bound to (after :meth:`start`)."""
        if self._http is None:
            raise RuntimeError("the preview server is not started")
        return int(self._http.server_address[1])

    @property
    def url(self) -> str:
        """Return the address of the note, e.g. http://127.0.0.1:8765/."""
        return f"http://{HOST}:{self.port}/"

    @property
    def version(self) -> int:
        """Return the version of the page being served (it grows each time the page changes)."""
        with self._lock:
            return self._page.version

    @property
    def page(self) -> Page:
        """Return the page being served."""
        with self._lock:
            return self._page

    def start(self, watch_timeout: float = 10.0) -> PreviewServer:
        """Build the note, start watching its files and serving it; return self once it is served.

        Raises UstWeeklyError when the port cannot be bound (checked before the first build).
        """
        try:
            self._http = ThreadingHTTPServer((HOST, self.request.port), _handler_for(self))
        except OSError as exc:
            raise UstWeeklyError(
                f"cannot listen on {HOST}:{self.request.port}: {exc.strerror or exc}",
                hint="choose another port (0 = any free port)",
            ) from exc
        self._http.daemon_threads = True
        try:
            self.rebuild()
            self._stop.clear()
            watches = [(self.plan.folders(), True), (self.plan.flat_folders(), False)]
            watches = [(folders, recursive) for folders, recursive in watches if folders]
            ready = [threading.Event() for _ in watches]
            for (folders, recursive), event in zip(watches, ready, strict=True):
                self._spawn(lambda f=folders, r=recursive, e=event: self._watch(f, r, e), "preview-watch")
            self._spawn(self._rebuild_loop, "preview-build")
            if self.request.pdf_ahead:
                self._spawn(self._pdf_ahead_loop, "preview-pdf")
                self._pdf_wanted.set()
            deadline = time.monotonic() + watch_timeout
            if not all(event.wait(max(deadline - time.monotonic(), 0)) for event in ready):
                log.warning("preview: file watching did not start within %.0f s", watch_timeout)
            self._spawn(self._http.serve_forever, "preview-http")
        except BaseException:
            self.stop()
            raise
        watched = [*self.plan.folders(), *self.plan.flat_folders()]
        log.info("preview: serving %s (watching %s)", self.url, ", ".join(map(str, watched)))
        return self

    def stop(self) -> None:
        """Stop serving and watching; wait for the threads to end."""
        self._stop.set()
        self._pdf_wanted.set()  # wakes the PDF thread, which then sees the stop
        with self._changed:
            self._changed.notify_all()
        if self._http is not None:
            if any(thread.name == "preview-http" for thread in self._threads):
                self._http.shutdown()
            self._http.server_close()
            self._http = None
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    # --- watching

    def _watch(self, folders: list[Path], recursive: bool, ready: threading.Event) -> None:
        """Collect changed paths under ``folders`` until stopped; set ``ready`` once watching."""
        try:
            for changes in watchfiles.watch(
                *folders,
                recursive=recursive,
                debounce=max(self.request.debounce_ms, 50),
                step=50,
                stop_event=self._stop,
                rust_timeout=200,
                yield_on_timeout=True,
                raise_interrupt=False,
                ignore_permission_denied=True,
            ):
                ready.set()
                if changes:
                    self.notify(Path(path) for _, path in changes)
        except Exception:
            log.exception("preview: file watching stopped")
        finally:
            ready.set()

    def notify(self, paths: Iterable[Path]) -> None:
        """Queue changed ``paths`` for the next rebuild (what the watcher calls)."""
        with self._changed:
            self._changes.update(paths)
            self._changed.notify_all()

    def _rebuild_loop(self) -> None:
        while not self._stop.is_set():
            with self._changed:
                while not self._changes and not self._stop.is_set():
                    self._changed.wait(timeout=1.0)
                paths, self._changes = self._changes, set()
            if self._stop.is_set():
                return
            stages = self.plan.stages_for_changes(paths)
            if not stages:
                continue
            names = ", ".join(sorted(stage.value for stage in stages))
            log.info("preview: %d file(s) changed (%s) → rebuild", len(paths), names)
            self.rebuild(stages)

    # --- building

    def rebuild(self, stages: Iterable[Stage] = tuple(Stage)) -> Page:
        """Redo ``stages``, what depends on them and any stage that failed before; return the new page."""
        with self._build_lock:
            with self._lock:
                self._busy = True
                self._pending.update(stages)
            started = time.perf_counter()
            ran: list[str] = []
            try:
                body, ok, roots, note = self._build(ran)
            finally:
                with self._lock:
                    self._busy = False
            self.history.append(tuple(ran))
            page = self._publish(body, ok, roots, note)
        log.info(
            "preview: %s in %.2f s → version %d%s",
            "+".join(ran) or "nothing",
            time.perf_counter() - started,
            page.version,
            "" if ok else " (error page)",
        )
        return page

    def _build(self, ran: list[str]) -> tuple[str, bool, tuple[Path, ...], NoteInputs | None]:
        request, work = self.request, self._work
        roots = self._page.roots
        try:
            if Stage.DATA in self._pending or work.view is None:
                ran.append("data")
                work.store = work.view = None
                store, self._given_store = self._given_store or open_store(request.data), None
                work.view = store.as_of(request.as_of)
                work.stale = check_statuses(series_statuses(work.view), strict=False)
                work.store = store
                work.charts_current = False
                self._pending.discard(Stage.DATA)
                self._pending.add(Stage.INPUTS)
            if Stage.INPUTS in self._pending or work.figures is None:
                ran.append("figures")
                work.figures = None
                inputs = load_inputs(request.analyst_dir)
                figures = figures_document(request.as_of, compute_figures(work.view, inputs))
                work.tariffs = tariff_frame(inputs, request.as_of)
                folder = chart_cache_dir(request.data, request.as_of)
                drawn = drawn_charts_dir(request.data)
                if not work.charts_current:
                    work.charts = render_all(work.view, work.tariffs, folder, drawn=drawn)
                    work.charts_current = True
                else:
                    for exhibit_id in TARIFF_EXHIBITS:
                        work.charts[exhibit_id] = render_exhibit(
                            exhibit_id, work.view, work.tariffs, folder, drawn=drawn
                        )
                work.figures = figures
                self._pending.discard(Stage.INPUTS)
            if Stage.VIEWS in self._pending or work.views is None:
                ran.append("views")
                work.views = None
                work.views = note_views(request, request.as_of)
                self._pending.discard(Stage.VIEWS)
            ran.append("html")
            target = work.views.target_10y
            claims = evaluate_claims(work.figures["figures"], request.as_of, target.low, target.high)
            note = note_inputs(
                work.figures,
                coerce_exhibits(exhibit_captions(work.view, work.tariffs), work.charts),
                views_that_hold(work.views, claims, request.as_of),
                demo=request.data.is_demo,
                stale=work.stale,
                as_of=request.as_of,
                logo=request.branding.logo if request.branding else None,
                demo_inputs=()
                if request.data.is_demo
                else find_demo_inputs(work.views, load_inputs(request.analyst_dir), request.as_of),
            )
            roots = tuple(resource_roots(note, request.templates))
            html = render_html(note, request.langs, request.templates)
            return link_resources(html, roots), True, roots, note
        except UstWeeklyError as exc:
            log.error("preview: %s", exc)
            return error_html(exc), False, roots, None
        except Exception as exc:  # a bug, or an error a template raised: still shown in the page
            log.exception("preview: unexpected error")
            return error_html(exc), False, roots, None

    def _publish(self, body: str, ok: bool, roots: tuple[Path, ...], note: NoteInputs | None) -> Page:
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        with self._lock:
            version = self._page.version + (digest != self._digest)
            self._digest = digest
            pdf_name = edition_name(self.request.langs)
            page_html = decorate(body, version, ok, self.request.poll_ms, pdf_name)
            self._page = Page(version, page_html.encode("utf-8"), ok, roots, note)
            if ok and note is not None:
                self._pdf_wanted.set()
            return self._page

    # --- PDF

    def _pdf_ahead_loop(self) -> None:
        """Render the PDF of each new version as soon as it is published (with ``pdf_ahead``).

        Laying out the note takes about two seconds; started when the page changes, it is mostly done by
        the time the link is clicked, and a click meanwhile waits for this render instead of starting
        another. A newer version published during a render is rendered next; older ones are skipped.
        """
        while not self._stop.is_set():
            self._pdf_wanted.wait()
            self._pdf_wanted.clear()
            if self._stop.is_set():
                return
            try:
                if self.page.note is not None:
                    self.pdf()
                    self.collect_render_garbage()
            except Exception as exc:  # shown when the link is clicked; nothing to report here
                log.debug("preview: PDF ahead of the click failed: %s", exc)

    def pdf(self) -> bytes:
        """Return the PDF of the note as currently shown (rendered by write_note, cached per version)."""
        with self._pdf_lock:
            page = self.page
            if self._pdf_cache is not None and self._pdf_cache[0] == page.version:
                return self._pdf_cache[1]
            if page.note is None:
                raise RuntimeError("the note has an error; fix it first (see the page)")
            folder = Path(tempfile.mkdtemp(prefix="ust-weekly-preview-"))
            try:
                note = page.note
                with full_collections_deferred():
                    target = write_note(
                        folder / edition_name(self.request.langs),
                        {"as_of": note.as_of.isoformat(), "figures": note.figures},
                        note.exhibits,
                        note.views,
                        langs=self.request.langs,
                        templates_overlay=self.request.templates,
                        demo=note.demo,
                        stale=note.stale,
                        as_of=note.as_of,
                        logo=note.logo,
                        demo_inputs=note.demo_inputs,
                    )
                data = target.read_bytes()
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            self._pdf_cache = (page.version, data)
            self._render_garbage = True
            return data

    def collect_render_garbage(self) -> None:
        """Free what the last PDF render left (its laid-out note), once its PDF has been handed over.

        The render defers full collections (:mod:`generator.collector`); collected here, after the PDF
        is sent or rendered ahead, the ~0.2 s collection is nobody's wait instead of the next page
        refresh's.
        """
        if self._render_garbage:  # a second caller racing past this collects for nothing, no harm
            self._render_garbage = False
            gc.collect()

    # --- serving

    def state(self) -> dict[str, Any]:
        """Return what the page's reload script polls: the version and whether a rebuild is running."""
        with self._lock:
            return {"version": self._page.version, "busy": self._busy, "ok": self._page.ok}

    def resolve_file(self, url_path: str) -> Path | None:
        """Return the allowed file a request path names, or None (outside the folders, or missing)."""
        roots = self.page.roots
        if url_path.startswith(FILES_PREFIX):
            index, _, relative = url_path[len(FILES_PREFIX) :].partition("/")
            if not index.isdigit() or int(index) >= len(roots):
                return None
            root = roots[int(index)]
        else:
            root, relative = roots[0], url_path.lstrip("/")
        relative = unquote(relative)
        if not relative or "\0" in relative:
            return None
        root = root.resolve()
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return None
        return path


def _handler_for(server: PreviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """GET only: the note, its version, its PDF and files from the allowed folders."""

        server_version = "ust-weekly-preview"

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("preview: %s %s", self.address_string(), format % args)

        def do_GET(self) -> None:
            if not self._local_host():
                self._send(HTTPStatus.FORBIDDEN, b"only 127.0.0.1 or localhost\n", "text/plain")
                return
            path = urlsplit(self.path).path
            if path in ("/", "/index.html"):
                page = server.page
                status = HTTPStatus.OK if page.ok else HTTPStatus.INTERNAL_SERVER_ERROR
                self._send(status, page.body, "text/html; charset=utf-8")
            elif path == VERSION_PATH:
                self._send(HTTPStatus.OK, json.dumps(server.state()).encode(), "application/json")
            elif path == PDF_PATH:
                self._send_pdf()
            else:
                self._send_file(path)

        def _local_host(self) -> bool:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
            return host in ("", HOST, "localhost")

        def _send_pdf(self) -> None:
            try:
                data = server.pdf()
            except (UstWeeklyError, RuntimeError) as exc:
                body = error_html(exc) if isinstance(exc, UstWeeklyError) else f"{exc}\n"
                self._send(HTTPStatus.CONFLICT, body.encode("utf-8"), "text/html; charset=utf-8")
                return
            name = edition_name(server.request.langs)
            self._send(
                HTTPStatus.OK, data, "application/pdf", {"Content-Disposition": f'inline; filename="{name}"'}
            )
            server.collect_render_garbage()

        def _send_file(self, path: str) -> None:
            found = server.resolve_file(path)
            if found is None:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")
                return
            kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind == "image/svg+xml":
                kind += "; charset=utf-8"
            self._send(HTTPStatus.OK, found.read_bytes(), kind)

        def _send(
            self, status: HTTPStatus, body: bytes, kind: str, headers: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve_preview(
    request: PreviewRequest,
    open_browser: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the live preview of ``request`` until Ctrl-C.

    ``on_ready(url)`` is called once the note is served (the CLI prints the address);
    ``open_browser`` opens it in the default browser.
    """
    server = PreviewServer(request).start()
    try:
        if on_ready is not None:
            on_ready(server.url)
        if open_browser:
            webbrowser.open(server.url)
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        log.info("preview: stopped")
    finally:
        server.stop()
