"""``ust-weekly``: parse options, call the library, report. No logic of its own.

Exit status: 0 success, 1 an error the user can fix (message on one line), 2 usage error,
3 stale data under ``--strict``.

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

from generator.data import DATA_DIR, DEMO, LIVE, DataRequest, fetch_all, iter_file_groups, open_store
from generator.errors import StaleDataError, UstWeeklyError

EXIT_ERROR = 1
EXIT_STALE = 3

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


def common_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command shares: data source, cache, verbosity."""

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
        help="Cache folder for live downloads and generated demo data [default: the user cache dir].",
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
        if data_dir and live:
            raise click.UsageError("--data-dir and --live exclude each other")
        mode = DATA_DIR if data_dir else LIVE if live else DEMO
        kwargs["data"] = DataRequest(mode=mode, data_dir=data_dir, cache_dir=cache_dir)
        kwargs["quiet"] = quiet
        try:
            return command(*args, **kwargs)
        except StaleDataError as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False)
            sys.exit(EXIT_STALE)
        except UstWeeklyError as exc:
            console.print(f"[red]error:[/red] {exc}", highlight=False)
            sys.exit(EXIT_ERROR)

    return wrapper


def as_of_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as-of",
        type=click.DateTime(["%Y-%m-%d"]),
        help="Use only data published on or before this date [default: today].",
    )(command)


def _as_of(value: datetime | None) -> date:
    return value.date() if value else _today()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="ust-weekly")
def cli() -> None:
    """UST Weekly: a bilingual (Chinese + English) weekly note on US Treasuries, built from public data.

    Without data options every command uses the embedded synthetic demo data (marked as such on every
    page). `--data-dir DIR` reads publisher files from a folder; `--live` uses what `fetch` downloaded.

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
    help="Output folder [default: output/<as-of>/].",
)
@click.option("--strict", is_flag=True, help="Fail (exit status 3) when a series is stale.")
@common_options
def build(as_of: datetime | None, out: Path | None, strict: bool, data: DataRequest, quiet: bool) -> None:
    """Build the note and its companions for one as-of date.

    Writes manifest.json (inputs with sha256, last observation used per series, versions, timings) into
    the output folder, replacing the previous outputs only when every stage has succeeded.

    \b
    Example:
        ust-weekly build --as-of 2025-02-07 --data-dir ../shared/data --out output/2025-02-07
    """
    from generator.build import BuildRequest, build_note

    as_of_date = _as_of(as_of)
    target = out or Path("output") / as_of_date.isoformat()
    request = BuildRequest(as_of=as_of_date, data=data, out=target, strict=strict)
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
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    ) as progress:
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
@click.option("--strict", is_flag=True, help="Exit with status 3 when any series is stale.")
@common_options
def check(as_of: datetime | None, strict: bool, data: DataRequest, quiet: bool) -> None:
    """List every series: last observation visible at the as-of date, when the next was due, status.

    Exits with status 1 when a series is missing, 3 when one is stale and --strict is given.

    \b
    Example:
        ust-weekly check --as-of 2025-02-07 --data-dir ../shared/data
    """
    from generator.build import series_statuses

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
    if counts["missing"]:
        sys.exit(EXIT_ERROR)
    if counts["stale"] and strict:
        sys.exit(EXIT_STALE)


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
    document = figures_document(as_of_date, compute_figures(view, load_inputs(analyst)))
    if as_json:
        click.echo(figures_json(document), nl=False)
        return
    table = Table(title=f"figures as of {as_of_date} ({data.mode} data)", show_edge=False)
    for column in ("figure", "value", "unit", "date", "source"):
        table.add_column(column, justify="right" if column == "value" else "left")
    for key, entry in document["figures"].items():
        table.add_row(key, repr(entry["value"]), entry["unit"], entry["date"], entry["source"])
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
        result = scaffold_analyst_folder(folder)
    except UstWeeklyError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(EXIT_ERROR)
    for path in result.written:
        stdout.print(f"wrote {path}", highlight=False)
    for path in result.kept:
        stdout.print(f"kept  {path} (exists)", highlight=False)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ust-weekly")
