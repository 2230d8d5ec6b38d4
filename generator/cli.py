"""``ust-weekly``: parse options, call the library, report. No logic of its own.

Exit status: 0 success, 1 an error the user can fix (message on one line), 2 usage error,
3 stale data under ``--strict``, 4 unavailable figures under ``--strict``, 130 interrupted (Ctrl-C),
143 terminated (SIGTERM).

No traceback reaches the user: every failure ends in one line ``error: what failed, where (what to
do)`` on stderr (:class:`UstWeeklyCli`); ``-vv`` prints the traceback above it. User text (file
names, series, settings, messages) is printed literally, never read as console markup, and output
that is not a terminal (a file, a pipe) is not wrapped or cut at 80 columns.

Log levels (the only place they are defined): ERROR a source or file is unusable; WARNING data are
stale, substituted or revised; INFO a stage's progress; DEBUG URLs, cache hits and timings.
"""

from __future__ import annotations

import functools
import logging
import os
import signal
import sys
import traceback
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from generator.config import Config, find_config, load_config
from generator.data import DATA_DIR, DEMO, LIVE, DataRequest, fetch_all, iter_file_groups, open_store
from generator.errors import ConfigError, DataError, StaleDataError, UnavailableFiguresError, UstWeeklyError

EXIT_ERROR = 1
EXIT_STALE = 3
EXIT_UNAVAILABLE = 4
EXIT_INTERRUPTED = 130
UNWRAPPED_WIDTH = 10_000  #: console width when the output is a file or a pipe: no wrapping, no cut
VERBOSITY = "ust_weekly.verbosity"  #: key of -v's count in the root click context's meta

console = Console(stderr=True)
stdout = Console()


def _today() -> date:
    return date.today()


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR
        if quiet
        else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    )
    context = click.get_current_context(silent=True)
    if context is not None:
        context.find_root().meta[VERBOSITY] = verbose
    handler: logging.Handler
    if console.is_terminal:
        handler = RichHandler(console=console, show_time=False, show_path=False, markup=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:  # one plain line per record in a log file (rich would pad every line to the full width)
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-8s %(message)s"))
    logging.basicConfig(level=level, handlers=[handler], force=True)


class _StderrHandler(logging.StreamHandler):
    """A log handler writing to whatever ``sys.stderr`` is at the time (as rich's console does)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _fit_consoles() -> None:
    """Wrap at the terminal's width on a terminal; otherwise never (a redirected table stays whole)."""
    for target in (console, stdout):
        target.width = None if target.is_terminal else UNWRAPPED_WIDTH  # type: ignore[assignment]


def plain(value: object) -> str:
    """Return ``value`` as console text printed literally: ``[[recipients]]`` stays ``[[recipients]]``."""
    return escape("" if value is None else str(value))


def _config() -> Config:
    """Return the validated config: --config, else the nearest ust-weekly.toml, else defaults."""
    context = click.get_current_context()
    root = context.find_root()
    if root.obj is None:
        path = root.params.get("config_path") or find_config(Path.cwd())
        root.obj = load_config(path)
    return root.obj


def _data_request(data_dir: Path | None, live: bool, cache_dir: Path | None, config: Config) -> DataRequest:
    """Command-line data options over the config file's; neither → the demo data."""
    if data_dir and live:
        raise click.UsageError("--data-dir and --live exclude each other")
    cache = cache_dir or config.cache_dir
    widened = config.validation.widened()
    if data_dir:
        _check_publisher_files(data_dir, "--data-dir")
        return DataRequest(mode=DATA_DIR, data_dir=data_dir, cache_dir=cache, widened=widened)
    if live or config.data_dir == Path("live"):
        return DataRequest(mode=LIVE, cache_dir=cache, widened=widened)
    if config.data_dir is not None:
        if not config.data_dir.is_dir():
            raise ConfigError("data_dir is not a folder", file=config.source, hint=str(config.data_dir))
        _check_publisher_files(config.data_dir, f"data_dir in {config.source}")
        return DataRequest(mode=DATA_DIR, data_dir=config.data_dir, cache_dir=cache, widened=widened)
    return DataRequest(mode=DEMO, cache_dir=cache, widened=widened)


def _check_publisher_files(folder: Path, given_by: str) -> None:
    """Stop with one line when ``folder`` holds no file of any publisher (not a list of every series)."""
    from generator.buildable import has_publisher_files

    if not has_publisher_files(folder):
        raise DataError(
            f"no publisher files in {folder}",
            hint=f"{given_by} must name a folder of publisher files such as ../shared/data; "
            "leave it out for the demo data",
        )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _fail(exc: BaseException) -> NoReturn:
    """Print ``exc`` as one ``error:`` line (the traceback above it with -vv) and exit with its status."""
    context = click.get_current_context(silent=True)
    if context is not None and context.find_root().meta.get(VERBOSITY, 0) > 1:
        trace = "".join(traceback.format_exception(exc))
        console.print(trace.rstrip(), markup=False, highlight=False, soft_wrap=True)
    if isinstance(exc, UstWeeklyError):
        line = str(exc)
        status = (
            EXIT_UNAVAILABLE
            if isinstance(exc, UnavailableFiguresError)
            else EXIT_STALE
            if isinstance(exc, StaleDataError)
            else EXIT_ERROR
        )
    elif isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        line = f"{exc.strerror or exc}{where} (check that the folder exists and can be written to)"
        status = EXIT_ERROR
    else:
        line = (
            f"unexpected {type(exc).__name__}: {exc} (a bug in ust-weekly: run the command again "
            "with -vv for the traceback and report it)"
        )
        status = EXIT_ERROR
    console.print(f"[red]error:[/red] {plain(_one_line(line))}", highlight=False, soft_wrap=True)
    sys.exit(status)


class UstWeeklyCli(click.Group):
    """The command group: whatever a command raises ends as one line and a documented exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        _fit_consoles()
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # usage errors (exit 2), --help, --version: click prints them
        except KeyboardInterrupt:
            console.print("interrupted", highlight=False)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            _fail(exc)


CACHE_HELP = "Cache folder: live downloads (--live), demo data and drawn exhibits [default: user cache]."
DATA_CACHE_HELP = "Cache folder: live downloads (--live) and demo data [default: user cache]."


def common_options(
    command: Callable[..., Any] | None = None, *, data: bool = True, cache_help: str = CACHE_HELP
) -> Any:
    """Options commands share: data source (unless ``data=False``), cache, verbosity.

    Defaults come from ust-weekly.toml. The command gets ``data`` (a DataRequest) and ``quiet``.
    """
    if command is None:
        return functools.partial(common_options, data=data, cache_help=cache_help)

    @click.option(
        "--cache",
        "cache_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help=cache_help,
    )
    @click.option("-v", "--verbose", count=True, help="More detail (-vv: debug, and tracebacks).")
    @click.option("-q", "--quiet", is_flag=True, help="Only errors.")
    @functools.wraps(command)
    def wrapper(
        *args: Any,
        cache_dir: Path | None,
        verbose: int,
        quiet: bool,
        data_dir: Path | None = None,
        live: bool = False,
        **kwargs: Any,
    ) -> Any:
        _configure_logging(verbose, quiet)
        try:
            config = _config()
            kwargs["data"] = (
                _data_request(data_dir, live, cache_dir, config)
                if data
                else DataRequest(mode=LIVE, cache_dir=cache_dir or config.cache_dir)
            )
            kwargs["quiet"] = quiet
            return command(*args, **kwargs)
        except UstWeeklyError as exc:
            _fail(exc)

    if not data:
        return wrapper
    wrapper = click.option("--live", is_flag=True, help="Use the live data cached by `ust-weekly fetch`.")(
        wrapper
    )
    return click.option(
        "--data-dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Read publisher files from DIR (e.g. ../shared/data) instead of the demo data.",
    )(wrapper)


def note_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options that shape the note: analyst folder, views, template overlay, languages."""
    command = click.option(
        "--lang",
        "lang",
        help="Languages of the note: zh,en (bilingual, the default), zh or en.",
    )(command)
    command = click.option(
        "--templates",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Template overlay searched before the built-in templates.",
    )(command)
    command = click.option(
        "--views",
        type=click.Path(exists=True, path_type=Path),
        help="The house view: a views.yaml or a folder holding one [default: the analyst folder's].",
    )(command)
    return click.option(
        "--analyst",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Analyst folder: refunding.csv, tariff_scenarios.csv, views.yaml [default: analyst/].",
    )(command)


def _langs(value: str | None, config: Config) -> tuple[str, ...]:
    if value is None:
        return tuple(config.langs)
    langs = tuple(part.strip() for part in value.split(",") if part.strip())
    if not langs or any(lang not in ("zh", "en") for lang in langs):
        raise click.BadParameter(f"{value!r}: use zh,en or zh or en", param_hint="--lang")
    return langs


AS_OF_HELP = "Use only data published on or before this date [default: today]."


def as_of_option(command: Callable[..., Any] | None = None, *, help: str = AS_OF_HELP) -> Any:
    """The --as-of option (a date, not in the future); ``help`` says what it selects for the command."""
    if command is None:
        return functools.partial(as_of_option, help=help)
    return click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD", help=help)(
        command
    )


def _as_of(value: datetime | None, option: str = "--as-of") -> date:
    """Return the as-of date (default today); a date in the future is a usage error, said in one line."""
    if value is None:
        return _today()
    as_of, today = value.date(), _today()
    if as_of > today:
        raise click.BadParameter(
            f"{as_of} is in the future (today is {today}): nothing is published for it yet",
            param_hint=f"'{option}'",
        )
    return as_of


def _earliest_check(store: Any, as_of: date) -> str | None:
    """Return why nothing can be built as of ``as_of`` (before the needed series start), else None."""
    from generator.buildable import earliest_as_of

    earliest = earliest_as_of(store)
    if earliest is None or as_of >= earliest.as_of:
        return None
    return (
        f"{as_of} is before the earliest as-of date these data can build: {earliest.as_of}, when "
        f"{earliest.series} published its first value"
    )


def _business_day_note(as_of: date) -> str | None:
    """Return a line saying the data are as of the last US business day when ``as_of`` is not one."""
    from generator.formatting import format_date
    from generator.publication import data_as_of

    last = data_as_of(as_of)
    if last == as_of:
        return None
    return (
        f"note: {as_of} is a {as_of:%A} and not a US business day: the data are as of "
        f"{last:%a} {format_date(last, 'en')}, the last business day's close"
    )


def counting_progress(quiet: bool) -> Progress:
    """Return a progress bar with a count, on stderr (hidden with --quiet)."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    )


def _out_root(config: Config) -> Path:
    return config.out_dir or Path("output")


@click.group(
    cls=UstWeeklyCli, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Settings file [default: the nearest ust-weekly.toml in this folder or above].",
)
@click.version_option(package_name="ust-weekly")
def cli(config_path: Path | None) -> None:
    """UST Weekly: a bilingual (Chinese + English) weekly note on US Treasuries, built from public data.

    Without data options every command uses the embedded synthetic demo data (marked as such on every
    page). `--data-dir DIR` reads publisher files from a folder; `--live` uses what `fetch` downloaded.
    Defaults come from ust-weekly.toml (see `ust-weekly init`); options override it.

    \b
    Examples:
        ust-weekly build                          # demo note as of today into output/<date>/
        ust-weekly build --as-of 2025-02-07 --data-dir ../shared/data
        ust-weekly fetch && ust-weekly build --live
        ust-weekly check --as-of 2025-02-07 --data-dir ../shared/data
    """


@cli.command()
@as_of_option
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder [default: <out_dir>/<as-of>/, out_dir = output].",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail when a series is stale (exit status 3) or a figure is unavailable (exit status 4).",
)
@click.option(
    "--editions",
    help="PDF editions to write besides the --lang one: all, or a list of zh+en, zh, en.",
)
@note_options
@common_options
def build(
    as_of: datetime | None,
    out: Path | None,
    strict: bool,
    editions: str | None,
    analyst: Path | None,
    views: Path | None,
    templates: Path | None,
    lang: str | None,
    data: DataRequest,
    quiet: bool,
) -> None:
    """Build the note, the appendix, figures.json and manifest.json for one as-of date.

    Writes note.pdf (bilingual; note_zh.pdf / note_en.pdf for single editions), appendix.xlsx,
    figures.json, the exhibits (charts/) and manifest.json (inputs with sha256, last observation used
    per series, versions, timings), replacing the previous outputs only when every stage has succeeded.

    \b
    Example:
        ust-weekly build --as-of 2025-02-07 --data-dir ../shared/data --out output/2025-02-07
        ust-weekly build --lang en --editions all
    """
    from charts.exhibits import parse_window
    from generator.build import BuildRequest, build_note

    config = _config()
    as_of_date = _as_of(as_of)
    request = BuildRequest(
        as_of=as_of_date,
        data=data,
        out=out or _out_root(config) / as_of_date.isoformat(),
        strict=strict,
        analyst_dir=analyst or config.analyst_dir,
        views=views or config.views,
        templates=templates or config.templates,
        editions=_editions(_langs(lang, config), editions),
        windows={key: parse_window(text) for key, text in config.exhibit_windows.items()},
        branding=config.branding,
        dated_names=config.dated_names,
    )
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=True,
    ) as progress:
        task = progress.add_task("starting", total=None)
        try:
            result = build_note(request, on_stage=lambda name: progress.update(task, description=name))
        except DataError as exc:
            too_early = _earliest_check(open_store(data), as_of_date)
            if too_early is None:
                raise
            raise DataError(too_early, hint="choose a later --as-of") from exc
    if quiet:
        return
    table = Table(title=plain(f"UST Weekly as of {as_of_date} ({data.mode} data)"), show_edge=False)
    table.add_column("file")
    table.add_column("size", justify="right")
    for path in result.files:
        table.add_row(plain(path), f"{path.stat().st_size / 1024:,.1f} KiB")
    stdout.print(table)
    if note := _business_day_note(as_of_date):
        stdout.print(plain(note), highlight=False)
    timings = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in result.timings.items())
    stdout.print(f"stages: {plain(timings)}", highlight=False)
    if data.is_demo:
        stdout.print("[yellow]DEMO DATA — synthetic: not for distribution.[/yellow]")
    for warning in result.warnings:
        stdout.print(f"[yellow]warning:[/yellow] {plain(warning)}", highlight=False)


EDITIONS = {"zh+en": ("zh", "en"), "zh": ("zh",), "en": ("en",)}


def _editions(main: tuple[str, ...], extra: str | None) -> tuple[tuple[str, ...], ...]:
    chosen = [main]
    names = list(EDITIONS) if extra == "all" else [part.strip() for part in (extra or "").split(",") if part]
    for name in names:
        if name not in EDITIONS:
            raise click.BadParameter(f"{name!r}: use all, zh+en, zh or en", param_hint="--editions")
        if EDITIONS[name] not in chosen:
            chosen.append(EDITIONS[name])
    return tuple(chosen)


@cli.command()
@common_options(
    data=False, cache_help="Folder to download into (its live/ sub-folder) [default: user cache]."
)
def fetch(data: DataRequest, quiet: bool) -> None:
    """Download every series from its publisher into the cache, then summarise what changed.

    A failed download keeps the last good cached copy; the command then exits with status 1 after the
    summary. Set FRED_API_KEY to fetch release vintages (ALFRED) of revisable FRED series, and
    BEA_API_KEY for the BEA NIPA tables.

    \b
    Example:
        ust-weekly fetch --cache ~/.cache/ust-weekly
    """
    from generator.sources.http import HttpClient

    groups = list(iter_file_groups())
    with counting_progress(quiet) as progress:
        task = progress.add_task("fetching", total=len(groups))
        results = fetch_all(
            data.cache,
            HttpClient(),
            on_file=lambda result: progress.update(task, advance=1, description=plain(result.file)),
        )
    table = Table(title=plain(f"fetch into {data.cache / 'live'}"), show_edge=False)
    for column in ("file", "series", "status", "size", "last observation"):
        table.add_column(column)
    for result in results:
        status = "[red]failed[/red]" if result.error else ("changed" if result.changed else "unchanged")
        table.add_row(
            plain(result.file),
            plain(", ".join(result.series)),
            status,
            f"{result.bytes:,}",
            plain(result.last_date or ""),
        )
    stdout.print(table)
    failures = [result for result in results if result.error]
    for result in failures:
        console.print(
            f"[red]error:[/red] {plain(_one_line(str(result.error)))}", highlight=False, soft_wrap=True
        )
    if failures:
        sys.exit(EXIT_ERROR)


@cli.command()
@as_of_option
@click.option(
    "--strict",
    is_flag=True,
    help="Exit with status 3 when a series is stale, 4 when a figure is unavailable.",
)
@common_options(cache_help=DATA_CACHE_HELP)
def check(as_of: datetime | None, strict: bool, data: DataRequest, quiet: bool) -> None:
    """List every series: last observation visible at the as-of date, when the next was due, status.

    Then lists every figure that is unavailable at the as-of date, with the reason. Exits with status 1
    when an essential series is missing; with --strict, 3 when a series is stale, 4 when a figure is
    unavailable.

    \b
    Example:
        ust-weekly check --as-of 2025-02-07 --data-dir ../shared/data
    """
    from generator.build import essential_missing, series_statuses
    from generator.figures import compute_figures, unavailable_figures
    from generator.inputs import load_inputs

    as_of_date = _as_of(as_of)
    store = open_store(data)
    view = store.as_of(as_of_date)
    statuses = series_statuses(view)
    table = Table(title=plain(f"series as of {as_of_date} ({data.mode} data)"), show_edge=False)
    for column in ("series", "publisher code", "last observation", "published", "stale after", "status"):
        table.add_column(column)
    for status in statuses:
        spec = view.store.series[status.key].spec if status.key in view.store.series else None
        colour = {"ok": "green", "stale": "yellow", "missing": "red"}[status.status]
        table.add_row(
            plain(status.key),
            plain(f"{spec.publisher} {spec.code}" if spec else ""),
            plain(status.last_date),
            plain(status.last_published),
            plain(status.expected_by),
            f"[{colour}]{status.status}[/{colour}]",
        )
    stdout.print(table)
    counts = {name: sum(status.status == name for status in statuses) for name in ("ok", "stale", "missing")}
    stdout.print(f"{counts['ok']} available, {counts['stale']} stale, {counts['missing']} missing")
    too_early = _earliest_check(store, as_of_date)
    for status in statuses:
        if status.problem and not (too_early and status.missing):
            console.print(
                plain(f"{status.key}: {_one_line(status.problem)}"), highlight=False, soft_wrap=True
            )
    if too_early:
        console.print(f"[red]error:[/red] {plain(too_early)}", highlight=False, soft_wrap=True)
        sys.exit(EXIT_ERROR)
    essential = essential_missing(view)
    if essential:
        console.print(
            f"[red]essential series missing:[/red] {plain(', '.join(essential))}",
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(EXIT_ERROR)
    if note := _business_day_note(as_of_date):
        console.print(plain(note), highlight=False)
    unavailable = unavailable_figures(compute_figures(view, load_inputs(_config().analyst_dir)))
    stdout.print(f"{len(unavailable)} figures unavailable as of {as_of_date}")
    for item in unavailable:
        stdout.print(
            plain(f"  {item['figure']}: {_one_line(str(item['reason']))}"), highlight=False, soft_wrap=True
        )
    if counts["stale"] and strict:
        sys.exit(EXIT_STALE)
    if unavailable and strict:
        sys.exit(EXIT_UNAVAILABLE)


@cli.command()
@as_of_option
@click.option("--json", "as_json", is_flag=True, help="Print the figures.json document instead of a table.")
@click.option(
    "--analyst",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Read analyst inputs (refunding.csv, tariff_scenarios.csv) from DIR [default: analyst/].",
)
@common_options(cache_help=DATA_CACHE_HELP)
def figures(
    as_of: datetime | None, as_json: bool, analyst: Path | None, data: DataRequest, quiet: bool
) -> None:
    """Print every figure the note quotes: value, unit, observation date and source.

    \b
    Example:
        ust-weekly figures --as-of 2025-02-07 --data-dir ../shared/data --json
    """
    from generator.figures import compute_figures, figures_document, figures_json
    from generator.inputs import load_inputs

    as_of_date = _as_of(as_of)
    store = open_store(data)
    if too_early := _earliest_check(store, as_of_date):
        raise DataError(too_early, hint="choose a later --as-of")
    view = store.as_of(as_of_date)
    inputs = load_inputs(analyst or _config().analyst_dir)
    document = figures_document(as_of_date, compute_figures(view, inputs))
    if as_json:
        click.echo(figures_json(document), nl=False)
        return
    table = Table(title=plain(f"figures as of {as_of_date} ({data.mode} data)"), show_edge=False)
    for column in ("figure", "value", "unit", "date", "source"):
        table.add_column(column, justify="right" if column == "value" else "left")
    for key, entry in document["figures"].items():
        table.add_row(
            plain(key),
            plain(repr(entry["value"])),
            plain(entry["unit"]),
            plain(entry["date"]),
            plain(entry["source"]),
        )
    stdout.print(table)
    if note := _business_day_note(as_of_date):
        console.print(plain(note), highlight=False)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path) -> None:
    """Create an analyst folder: views.yaml, analyst inputs, a template overlay and ust-weekly.toml.

    Existing files are kept as they are.

    \b
    Example:
        ust-weekly init desk && cd desk && ust-weekly build
    """
    from generator.analyst import scaffold_analyst_folder

    try:
        result = scaffold_analyst_folder(folder, today=date.today())
    except UstWeeklyError as exc:
        _fail(exc)
    for path in result.written:
        stdout.print(f"wrote {plain(path)}", highlight=False)
    for path in result.kept:
        stdout.print(f"kept  {plain(path)} (exists)", highlight=False)


@cli.command()
@as_of_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@click.option(
    "--pdf-ahead/--no-pdf-ahead",
    default=True,
    show_default=True,
    help="Render the PDF after every change, so that the PDF link answers at once (uses a core meanwhile).",
)
@note_options
@common_options
def preview(
    as_of: datetime | None,
    port: int,
    open_browser: bool,
    pdf_ahead: bool,
    analyst: Path | None,
    views: Path | None,
    templates: Path | None,
    lang: str | None,
    data: DataRequest,
    quiet: bool,
) -> None:
    """Serve the note as HTML on 127.0.0.1 and rebuild it when templates, views or inputs change.

    The page uses the same templates and CSS as the PDF and reloads itself after each change; a
    template error shows in the page. The link at the top opens the PDF, rendered after each change
    (--no-pdf-ahead: when the link is clicked). Stop with Ctrl-C.

    \b
    Example:
        ust-weekly preview --templates desk/templates --open
    """
    from generator.preview import PreviewRequest, serve_preview

    config = _config()
    request = PreviewRequest(
        as_of=_as_of(as_of),
        data=data,
        analyst_dir=analyst or config.analyst_dir,
        views=views or config.views,
        templates=templates or config.templates,
        langs=_langs(lang, config),
        port=port,
        branding=config.branding,
        pdf_ahead=pdf_ahead,
    )
    serve_preview(
        request,
        open_browser=open_browser,
        on_ready=lambda url: stdout.print(f"preview: {plain(url)}  (Ctrl-C to stop)", highlight=False),
    )


@cli.command()
@click.option(
    "--from",
    "start",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    metavar="YYYY-MM-DD",
    help="First as-of date.",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    metavar="YYYY-MM-DD",
    help="Last as-of date.",
)
@click.option(
    "--weekday",
    type=click.Choice(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
    default="fri",
    show_default=True,
    help="The weekday of the weekly note.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Dates built at once (processes).",
)
@click.option("--shard", metavar="K/N", help="Build only every N-th date from the K-th (1-based).")
@click.option(
    "--out",
    "out_root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Archive folder: one sub-folder per as-of date and index.html [default: out_dir, output].",
)
@common_options
def backfill(
    start: datetime,
    end: datetime,
    weekday: str,
    jobs: int,
    shard: str | None,
    out_root: Path | None,
    data: DataRequest,
    quiet: bool,
) -> None:
    """Build the weekly archive from --from to --to, one folder per as-of date, and write index.html.

    Data are loaded once; dates whose inputs (everything published by that date, plus the code and
    templates) are unchanged since their last build are skipped, so an interrupted backfill resumes.

    \b
    Example:
        ust-weekly backfill --from 2024-01-01 --to 2025-02-07 --data-dir ../shared/data --jobs 2
        ust-weekly backfill --from 2015-01-01 --to 2025-12-31 --shard 3/8   # one of 8 batch jobs
    """
    from generator.backfill import backfill as run_backfill
    from generator.backfill import shard as pick_shard
    from generator.backfill import weekly_dates

    root = out_root or _out_root(_config())
    first, last = _as_of(start, "--from"), _as_of(end, "--to")
    dates = pick_shard(weekly_dates(first, last, weekday), shard)
    if not dates:
        raise click.UsageError(f"no {weekday} between {first} and {last}")
    store = open_store(data)
    counts = {"built": 0, "skipped": 0, "failed": 0}
    with counting_progress(quiet) as progress:
        task = progress.add_task("building", total=len(dates))

        def advance(outcome: Any) -> None:
            counts[outcome.status] += 1
            progress.update(task, advance=1, description=f"{outcome.as_of} {outcome.status}")

        outcomes = run_backfill(dates, root, data, store, jobs=jobs, on_date=advance)
    stdout.print(
        plain(
            f"{counts['built']} built, {counts['skipped']} unchanged, {counts['failed']} failed; "
            f"archive: {root / 'index.html'}"
        ),
        highlight=False,
    )
    for outcome in outcomes:
        if outcome.status == "failed":
            console.print(
                f"[red]{outcome.as_of}:[/red] {plain(_one_line(str(outcome.detail)))}",
                highlight=False,
                soft_wrap=True,
            )
    if counts["failed"]:
        sys.exit(EXIT_ERROR)


@cli.command()
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@as_of_option(help="Send the build <out_dir>/<as-of>/ when FOLDER is not given [default: today].")
@click.option("--dry-run", is_flag=True, help="Write .eml files into FOLDER/outbox instead of sending.")
@click.option("--allow-demo", is_flag=True, help="Send a build made from synthetic demo data.")
@click.option("--allow-stale", is_flag=True, help="Send a build with stale series.")
@click.option("-v", "--verbose", count=True, help="More detail (-vv: debug, and tracebacks).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def send(
    folder: Path | None,
    as_of: datetime | None,
    dry_run: bool,
    allow_demo: bool,
    allow_stale: bool,
    verbose: int,
    quiet: bool,
) -> None:
    """Email each recipient the PDF edition of their language and the Excel appendix.

    Recipients, SMTP server and branding come from ust-weekly.toml; the SMTP user and password from
    the environment variables it names. Every delivery is logged in FOLDER/distribution.jsonl and never
    repeated; demo-data or stale builds are refused unless allowed.

    \b
    Example:
        ust-weekly send output/2025-02-07 --dry-run
        UST_WEEKLY_SMTP_PASSWORD=... ust-weekly send --as-of 2025-02-07
    """
    from generator.send import send_build

    _configure_logging(verbose, quiet)
    if not quiet:  # one "dry run: wrote outbox/… for …" line per message, without -v
        logging.getLogger("generator.send").setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    try:
        config = _config()
        build_dir = folder or _out_root(config) / _as_of(as_of).isoformat()
        outcomes = send_build(
            build_dir,
            config,
            now=datetime.now().astimezone(),
            dry_run=dry_run,
            allow_demo=allow_demo,
            allow_stale=allow_stale,
            overlay=config.templates,
        )
    except UstWeeklyError as exc:
        _fail(exc)
        return
    table = Table(title=plain(f"distribution of {build_dir}"), show_edge=False)
    for column in ("to", "edition", "status", "detail"):
        table.add_column(column)
    for outcome in outcomes:
        table.add_row(
            plain(outcome.delivery.recipient.email),
            plain(outcome.delivery.edition),
            plain(outcome.status),
            plain(outcome.detail),
        )
    stdout.print(table)
    if any(outcome.status == "failed" for outcome in outcomes):
        sys.exit(EXIT_ERROR)


def _terminate(signum: int, _frame: object) -> None:
    """SIGTERM (a scheduler stopping the job) unwinds like Ctrl-C, so staging folders are removed."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Console-script entry point.

    The process ends with ``os._exit`` once the command has finished and its output is flushed: every
    file is written and closed by then, and tearing down a heap of laid-out pages, frames and fonts
    object by object took a third of a second of every build.
    """
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli(prog_name="ust-weekly")
        status = 0
    except SystemExit as exc:
        status = _exit_status(exc.code)
    try:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken pipe: nothing more can be said
        pass
    os._exit(status)


def _exit_status(code: object) -> int:
    """Return what ``sys.exit(code)`` would make the process's exit status."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        sys.stderr.write(f"{code}\n")  # sys.exit("message") prints the message and exits 1
    except (OSError, ValueError):
        pass
    return 1
