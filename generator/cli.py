"""``ust-weekly``: parse options, call the library, report. No logic of its own.

Exit status: 0 success, 1 an error the user can fix (message on one line), 2 usage error,
3 stale data under ``--strict``, 4 unavailable figures under ``--strict``.

Log levels (the only place they are defined): ERROR a source or file is unusable; WARNING data are
stale, substituted or revised; INFO a stage's progress; DEBUG URLs, cache hits and timings.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from generator.config import Config, find_config, load_config
from generator.data import DATA_DIR, DEMO, LIVE, DataRequest, fetch_all, iter_file_groups, open_store
from generator.errors import ConfigError, StaleDataError, UnavailableFiguresError, UstWeeklyError

EXIT_ERROR = 1
EXIT_STALE = 3
EXIT_UNAVAILABLE = 4

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
    logging.basicConfig(
        level=level,
        format="%(message)s",
        handlers=[RichHandler(console=console, show_time=False, show_path=False, markup=False)],
        force=True,
    )


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
        return DataRequest(mode=DATA_DIR, data_dir=data_dir, cache_dir=cache, widened=widened)
    if live or config.data_dir == Path("live"):
        return DataRequest(mode=LIVE, cache_dir=cache, widened=widened)
    if config.data_dir is not None:
        if not config.data_dir.is_dir():
            raise ConfigError("data_dir is not a folder", file=config.source, hint=str(config.data_dir))
        return DataRequest(mode=DATA_DIR, data_dir=config.data_dir, cache_dir=cache, widened=widened)
    return DataRequest(mode=DEMO, cache_dir=cache, widened=widened)


def _fail(exc: UstWeeklyError) -> None:
    console.print(f"[red]error:[/red] {exc}", highlight=False)
    if isinstance(exc, UnavailableFiguresError):
        sys.exit(EXIT_UNAVAILABLE)
    sys.exit(EXIT_STALE if isinstance(exc, StaleDataError) else EXIT_ERROR)


def common_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command shares: data source, cache, verbosity; defaults from ust-weekly.toml."""

    @click.option(
        "--data-dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Read publisher files from DIR (e.g. ../shared/data) instead of the demo data.",
    )
    @click.option("--live", is_flag=True, help="Use the live data cached by `ust-weekly fetch`.")
    @click.option(
        "--cache",
        "cache_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Cache folder for live downloads, demo data and charts [default: the user cache dir].",
    )
    @click.option("-v", "--verbose", count=True, help="More detail (-vv for debug).")
    @click.option("-q", "--quiet", is_flag=True, help="Only errors.")
    @functools.wraps(command)
    def wrapper(
        *args: Any,
        data_dir: Path | None,
        live: bool,
        cache_dir: Path | None,
        verbose: int,
        quiet: bool,
        **kwargs: Any,
    ) -> Any:
        _configure_logging(verbose, quiet)
        try:
            config = _config()
            kwargs["data"] = _data_request(data_dir, live, cache_dir, config)
            kwargs["quiet"] = quiet
            return command(*args, **kwargs)
        except UstWeeklyError as exc:
            _fail(exc)

    return wrapper


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


def as_of_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as-of",
        type=click.DateTime(["%Y-%m-%d"]),
        help="Use only data published on or before this date [default: today].",
    )(command)


def _as_of(value: datetime | None) -> date:
    return value.date() if value else _today()


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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
        result = build_note(request, on_stage=lambda name: progress.update(task, description=name))
    if quiet:
        return
    table = Table(title=f"UST Weekly as of {as_of_date} ({data.mode} data)", show_edge=False)
    table.add_column("file")
    table.add_column("size", justify="right")
    for path in result.files:
        table.add_row(str(path), f"{path.stat().st_size / 1024:,.1f} KiB")
    stdout.print(table)
    timings = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in result.timings.items())
    stdout.print(f"stages: {timings}")
    if data.is_demo:
        stdout.print("[yellow]DEMO DATA — synthetic: not for distribution.[/yellow]")
    for warning in result.warnings:
        stdout.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)


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
@common_options
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

    if data.mode == DATA_DIR:
        raise click.UsageError("fetch downloads into the cache; --data-dir does not apply")
    groups = list(iter_file_groups())
    with counting_progress(quiet) as progress:
        task = progress.add_task("fetching", total=len(groups))
        results = fetch_all(
            data.cache,
            HttpClient(),
            on_file=lambda result: progress.update(task, advance=1, description=result.file),
        )
    table = Table(title=f"fetch into {data.cache / 'live'}", show_edge=False)
    for column in ("file", "series", "status", "size", "last observation"):
        table.add_column(column)
    for result in results:
        status = "[red]failed[/red]" if result.error else ("changed" if result.changed else "unchanged")
        table.add_row(
            result.file, ", ".join(result.series), status, f"{result.bytes:,}", result.last_date or ""
        )
    stdout.print(table)
    failures = [result for result in results if result.error]
    for result in failures:
        console.print(f"[red]error:[/red] {result.error}", highlight=False)
    if failures:
        sys.exit(EXIT_ERROR)


@cli.command()
@as_of_option
@click.option(
    "--strict",
    is_flag=True,
    help="Exit with status 3 when a series is stale, 4 when a figure is unavailable.",
)
@common_options
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
    view = open_store(data).as_of(as_of_date)
    statuses = series_statuses(view)
    table = Table(title=f"series as of {as_of_date} ({data.mode} data)", show_edge=False)
    for column in ("series", "publisher code", "last observation", "published", "stale after", "status"):
        table.add_column(column)
    for status in statuses:
        spec = view.store.series[status.key].spec if status.key in view.store.series else None
        colour = {"ok": "green", "stale": "yellow", "missing": "red"}[status.status]
        table.add_row(
            status.key,
            f"{spec.publisher} {spec.code}" if spec else "",
            str(status.last_date or ""),
            str(status.last_published or ""),
            str(status.expected_by or ""),
            f"[{colour}]{status.status}[/{colour}]",
        )
    stdout.print(table)
    counts = {name: sum(status.status == name for status in statuses) for name in ("ok", "stale", "missing")}
    stdout.print(f"{counts['ok']} available, {counts['stale']} stale, {counts['missing']} missing")
    for status in statuses:
        if status.problem:
            console.print(f"{status.key}: {status.problem}", highlight=False)
    essential = essential_missing(view)
    if essential:
        console.print(f"[red]essential series missing:[/red] {', '.join(essential)}", highlight=False)
        sys.exit(EXIT_ERROR)
    unavailable = unavailable_figures(compute_figures(view, load_inputs(_config().analyst_dir)))
    stdout.print(f"{len(unavailable)} figures unavailable as of {as_of_date}")
    for item in unavailable:
        stdout.print(f"  {item['figure']}: {item['reason']}", highlight=False)
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
@common_options
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
    view = open_store(data).as_of(as_of_date)
    inputs = load_inputs(analyst or _config().analyst_dir)
    document = figures_document(as_of_date, compute_figures(view, inputs))
    if as_json:
        click.echo(figures_json(document), nl=False)
        return
    table = Table(title=f"figures as of {as_of_date} ({data.mode} data)", show_edge=False)
    for column in ("figure", "value", "unit", "date", "source"):
        table.add_column(column, justify="right" if column == "value" else "left")
    for key, entry in document["figures"].items():
        table.add_row(key, repr(entry["value"]), entry["unit"], str(entry["date"] or ""), entry["source"])
    stdout.print(table)


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
        stdout.print(f"wrote {path}", highlight=False)
    for path in result.kept:
        stdout.print(f"kept  {path} (exists)", highlight=False)


@cli.command()
@as_of_option
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free port."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@note_options
@common_options
def preview(
    as_of: datetime | None,
    port: int,
    open_browser: bool,
    analyst: Path | None,
    views: Path | None,
    templates: Path | None,
    lang: str | None,
    data: DataRequest,
    quiet: bool,
) -> None:
    """Serve the note as HTML on 127.0.0.1 and rebuild it when templates, views or inputs change.

    The page uses the same templates and CSS as the PDF and reloads itself after each change; a
    template error shows in the page. The link at the top renders the PDF. Stop with Ctrl-C.

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
    )
    serve_preview(
        request,
        open_browser=open_browser,
        on_ready=lambda url: stdout.print(f"preview: {url}  (Ctrl-C to stop)", highlight=False),
    )


@cli.command()
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), required=True, help="First as-of date.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Last as-of date.")
@click.option(
    "--weekday",
    type=click.Choice(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
    default="fri",
    show_default=True,
    help="The weekday of the weekly note.",
)
@click.option("--jobs", type=click.IntRange(1, 64), default=2, show_default=True, help="Parallel processes.")
@click.option("--shard", metavar="K/N", help="Build only every N-th date from the K-th (1-based).")
@click.option(
    "--out",
    "out_root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Archive folder: one sub-folder per as-of date and index.html [default: output/].",
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
    dates = pick_shard(weekly_dates(start.date(), end.date(), weekday), shard)
    if not dates:
        raise click.UsageError(f"no {weekday} between {start.date()} and {end.date()}")
    store = open_store(data)
    counts = {"built": 0, "skipped": 0, "failed": 0}
    with counting_progress(quiet) as progress:
        task = progress.add_task("building", total=len(dates))

        def advance(outcome: Any) -> None:
            counts[outcome.status] += 1
            progress.update(task, advance=1, description=f"{outcome.as_of} {outcome.status}")

        outcomes = run_backfill(dates, root, data, store, jobs=jobs, on_date=advance)
    stdout.print(
        f"{counts['built']} built, {counts['skipped']} unchanged, {counts['failed']} failed; "
        f"archive: {root / 'index.html'}",
        highlight=False,
    )
    for outcome in outcomes:
        if outcome.status == "failed":
            console.print(f"[red]{outcome.as_of}:[/red] {outcome.detail}", highlight=False)
    if counts["failed"]:
        sys.exit(EXIT_ERROR)


@cli.command()
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@as_of_option
@click.option("--dry-run", is_flag=True, help="Write .eml files into FOLDER/outbox instead of sending.")
@click.option("--allow-demo", is_flag=True, help="Send a build made from synthetic demo data.")
@click.option("--allow-stale", is_flag=True, help="Send a build with stale series.")
@click.option("-v", "--verbose", count=True, help="More detail (-vv for debug).")
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
    table = Table(title=f"distribution of {build_dir}", show_edge=False)
    for column in ("to", "edition", "status", "detail"):
        table.add_column(column)
    for outcome in outcomes:
        table.add_row(
            str(outcome.delivery.recipient.email), outcome.delivery.edition, outcome.status, outcome.detail
        )
    stdout.print(table)
    if any(outcome.status == "failed" for outcome in outcomes):
        sys.exit(EXIT_ERROR)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ust-weekly")
