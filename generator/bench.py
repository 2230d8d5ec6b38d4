"""``make bench``: where a build's time goes, and how it compares with the peers of ../shared/bench.

    python -m generator.bench [--runs 5] [--no-compare] [--no-backfill] [--doc docs/performance.md]

Every figure is measured on whole processes of this checkout (``python -m generator`` from the
repository root), as a user runs them:

- stage split: ``build --as-of 2025-02-07`` on ../shared/data (the demo data when it is absent) with a
  new, empty ``--cache`` (cold), again with that cache (warm), and cold with the parallel stages
  switched off (``UST_WEEKLY_SERIAL=1``); the stages are the build's own timings (manifest.json), peak
  memory is the process's maximum resident set (``wait4``), sizes are those of the files written;
- paired comparison: ``../shared/bench/compare.py --runs N`` (project and peer runs alternate, so that
  machine noise hits both; ratios of medians);
- backfill: the 52 Fridays of 2024 with ``--jobs 2`` into an empty folder and a new cache, one process,
  compared with the naive pipeline's median from the paired comparison;
- preview: a :class:`~generator.preview.PreviewServer` in this process (no browser): the HTML refresh
  after a template edit and after a views edit, and the PDF link after a views edit (medians of N).

With ../shared/bench present, docs/performance.md is rewritten from these numbers (``--doc``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SHARED_DATA = SHARED / "data"
COMPARE = SHARED / "bench" / "compare.py"
DOC = REPO / "docs" / "performance.md"
AS_OF = date(2025, 2, 7)
BACKFILL = (date(2024, 1, 1), date(2024, 12, 31))
#: the targets of issue 13 (ratios of medians, seconds, MiB)
TARGETS = {
    "cold_vs_naive": 0.6,
    "warm_vs_naive": 0.4,
    "backfill_vs_naive": 12.0,
    "preview_html_s": 0.3,
    "preview_pdf_s": 1.5,
    "peak_mib": 400e6 / 2**20,  #: 400 MB
    "note_pdf_mib": 1.5,
}
VERSIONS = ("weasyprint", "pydyf", "matplotlib", "pandas", "numpy", "openpyxl", "jinja2")


@dataclass
class Run:
    """One whole process: wall seconds, peak resident memory, and the build's stage timings."""

    label: str
    seconds: float
    peak_mib: float
    stages: dict[str, float] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)


def cli_command() -> list[str]:
    """Return the command that runs this checkout's CLI (not an installed console script)."""
    return [sys.executable, "-m", "generator"]


#: a small process that starts the command, waits for it and writes "seconds maxrss-KiB exit-code" to
#: argv[1]. The peak is read there, not in this process: a process started from a large one counts
#: the large one's resident set as its own peak (Linux keeps ru_maxrss across exec, and a spawned
#: child starts on its parent's pages), so after the preview timings a backfill spawned from here
#: reported the bench's own ~410 MiB.
MEASURED_RUN = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - started
with open(sys.argv[1], "w") as report:
    report.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_process(label: str, args: list[str], env: dict[str, str] | None = None, check: bool = True) -> Run:
    """Run the CLI with ``args`` from the repository root; return its wall time and peak memory.

    ``check``: a non-zero exit stops the bench (else the caller looks at what was written).
    """
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "run.txt"
        process = subprocess.Popen(
            [sys.executable, "-c", MEASURED_RUN, str(report), *cli_command(), *args],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
        )
        stderr = process.stderr.read() if process.stderr else b""
        process.wait()
        seconds_text, maxrss_text, code_text = report.read_text(encoding="utf-8").split()
    returncode = int(code_text)
    if returncode and check:
        tail = stderr.decode("utf-8", "replace")[-2000:]
        raise SystemExit(f"error: {' '.join(args)} exited {returncode}\n{tail}")
    return Run(label, float(seconds_text), int(maxrss_text) / 1024)


def build_args(data: Path | None, out: Path, cache: Path) -> list[str]:
    data_args = ["--data-dir", str(data)] if data else []
    return ["build", "--as-of", AS_OF.isoformat(), *data_args, "--out", str(out), "--cache", str(cache)]


def timed_build(
    label: str, data: Path | None, out: Path, cache: Path, env: dict[str, str] | None = None
) -> Run:
    """Build once in a fresh process; read the stage timings back from its manifest."""
    run = run_process(label, build_args(data, out, cache), env)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    run.stages = manifest.get("timings_seconds", {})
    run.sizes = {path.name: path.stat().st_size for path in sorted(out.iterdir()) if path.is_file()}
    return run


def median_run(runs: list[Run]) -> Run:
    """Return the run of median wall time."""
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def stage_split(data: Path | None, work: Path, runs: int) -> dict[str, Run]:
    """Return the median cold, warm and cold-serial builds (each a fresh process)."""
    warm_cache = work / "warm-cache"
    timed_build("fill", data, work / "fill", warm_cache)
    cold, warm, serial = [], [], []
    for index in range(runs):  # interleaved, so that load on the machine hits all three alike
        cold.append(timed_build("cold", data, work / f"cold-{index}", work / f"cold-cache-{index}"))
        warm.append(timed_build("warm", data, work / f"warm-{index}", warm_cache))
        serial.append(
            timed_build(
                "cold, serial",
                data,
                work / f"serial-{index}",
                work / f"serial-cache-{index}",
                {"UST_WEEKLY_SERIAL": "1"},
            )
        )
        for folder in (f"cold-cache-{index}", f"serial-cache-{index}"):
            shutil.rmtree(work / folder, ignore_errors=True)
    return {"cold": median_run(cold), "warm": median_run(warm), "cold, serial": median_run(serial)}


def import_seconds(runs: int) -> dict[str, float]:
    """Return the median time of importing what a warm build needs, and of adding matplotlib."""
    probes = {
        "python -c pass": "pass",
        "import generator.cli, generator.build": "import generator.cli, generator.build",
        "+ import matplotlib.figure": "import generator.cli, generator.build, matplotlib.figure",
        "+ import weasyprint": "import generator.cli, generator.build, weasyprint",
    }
    result = {}
    for label, code in probes.items():
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True)
            samples.append(time.perf_counter() - started)
        result[label] = statistics.median(samples)
    return result


def paired_comparison(data: Path, runs: int) -> tuple[str, dict[str, float], dict[str, float]]:
    """Run compare.py against this checkout; return its output, the ratios and the peers' medians."""
    with tempfile.TemporaryDirectory(prefix="ust-bench-cli-") as folder:
        wrapper = Path(folder) / "ust-weekly"
        wrapper.write_text(
            f'#!/bin/sh\ncd "{REPO}" && exec "{sys.executable}" -m generator "$@"\n', encoding="utf-8"
        )
        wrapper.chmod(0o755)
        done = subprocess.run(
            [
                sys.executable,
                str(COMPARE),
                "--cli",
                str(wrapper),
                "--runs",
                str(runs),
                "--data-dir",
                str(data),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
    if done.returncode:
        raise SystemExit(f"error: compare.py exited {done.returncode}\n{done.stderr[-2000:]}")
    ratios = {key: float(value) for key, value in re.findall(r"(\w+_vs_\w+)=([\d.]+)", done.stdout)}
    peers: dict[str, float] = {}
    for mode, project, name, peer in re.findall(
        r"^(\w+)\s+project\s+([\d.]+) s.*?\s(\w+)\s+([\d.]+) s", done.stdout, re.M
    ):
        peers[f"{mode}/{name}"] = float(peer)
        peers[f"{mode}/project-vs-{name}"] = float(project)
    return done.stdout, ratios, peers


def backfill_seconds(data: Path, work: Path) -> Run:
    """Return the run of ``backfill`` over the 52 Fridays of 2024, --jobs 2, empty output and cache."""
    start, end = BACKFILL
    args = [
        "backfill", "--from", start.isoformat(), "--to", end.isoformat(), "--weekday", "fri", "--jobs", "2",
        "--data-dir", str(data), "--out", str(work / "backfill"), "--cache", str(work / "backfill-cache"),
    ]  # fmt: skip
    run = run_process("backfill 2024, --jobs 2", args, check=False)  # a date that fails is counted
    built = [path for path in (work / "backfill").iterdir() if (path / "manifest.json").is_file()]
    run.sizes = {"dates": len(built), "failed": len(weekly_fridays(start, end)) - len(built)}
    return run


def weekly_fridays(start: date, end: date) -> list[date]:
    """Return the Fridays from ``start`` to ``end``."""
    first = start + timedelta(days=(4 - start.weekday()) % 7)
    return [first + timedelta(weeks=week) for week in range((end - first).days // 7 + 1)]


def preview_seconds(data: Path | None, work: Path, runs: int) -> dict[str, float]:
    """Return median seconds of the preview's HTML refresh (template, views edit) and its PDF link."""
    from generator.data import DATA_DIR, DEMO, DataRequest
    from generator.preview import PreviewRequest, PreviewServer, Stage
    from generator.views import SHIPPED_VIEWS

    views = work / "preview-views.yaml"
    shutil.copyfile(SHIPPED_VIEWS, views)
    request = (
        DataRequest(DATA_DIR, data_dir=data, cache_dir=work / "preview-cache")
        if data
        else DataRequest(DEMO, cache_dir=work / "preview-cache")
    )
    server = PreviewServer(PreviewRequest(as_of=AS_OF, data=request, views=views))
    server.rebuild()
    html_template, html_views, pdf = [], [], []
    original = views.read_text(encoding="utf-8")
    for index in range(runs):
        started = time.perf_counter()
        server.rebuild({Stage.HTML})  # what a template or CSS edit redoes
        html_template.append(time.perf_counter() - started)
        views.write_text(edited_views(original, f"({index})"), encoding="utf-8")
        version = server.version
        started = time.perf_counter()
        server.rebuild({Stage.VIEWS})
        html_views.append(time.perf_counter() - started)
        if server.version == version:
            raise RuntimeError("bench: the views edit did not change the page; nothing was measured")
        started = time.perf_counter()
        server.pdf()  # the PDF link of the page just rebuilt
        pdf.append(time.perf_counter() - started)
        server.collect_render_garbage()  # as the server does once it has sent the PDF
    ahead = pdf_link_after_a_pause(request, views, original, runs)
    return {
        "HTML refresh after a template edit": statistics.median(html_template),
        "HTML refresh after a views edit": statistics.median(html_views),
        "PDF link after a views edit": statistics.median(pdf),
        f"PDF link {PDF_CLICK_PAUSE:.0f} s after the refresh (--pdf-ahead)": ahead,
    }


def edited_views(original: str, mark: str) -> str:
    """Return the views text with ``mark`` added to the first English strategy paragraph, which states
    no condition, so that every note prints it (the headline may give way to a dated one)."""
    edited = re.sub(
        r"(\nstrategy:\n(?:.*\n)*?  en:\n    - )(.+)",
        lambda found: found[1] + found[2] + " " + mark,
        original,
        count=1,
    )
    if edited == original:
        raise RuntimeError("bench: no English strategy paragraph in the views file to edit")
    return edited


PDF_CLICK_PAUSE = 1.0  #: seconds between the page's refresh and the click on its PDF link


def pdf_link_after_a_pause(request: Any, views: Path, original: str, runs: int) -> float:
    """Return the median wait for the PDF link clicked :data:`PDF_CLICK_PAUSE` after a views edit was
    shown, with the preview rendering each version's PDF as soon as it is published (the CLI default)."""
    from generator.preview import PreviewRequest, PreviewServer, Stage

    waits = []
    with PreviewServer(PreviewRequest(as_of=AS_OF, data=request, views=views, pdf_ahead=True)) as server:
        server.pdf()  # the first version's PDF, so that each run starts from an idle server
        for index in range(runs):
            views.write_text(edited_views(original, f"[{index}]"), encoding="utf-8")
            version = server.version
            server.rebuild({Stage.VIEWS})
            if server.version == version:
                raise RuntimeError("bench: the views edit did not change the page; nothing was measured")
            time.sleep(PDF_CLICK_PAUSE)
            started = time.perf_counter()
            server.pdf()
            waits.append(time.perf_counter() - started)
    return statistics.median(waits)


def _base_interpreter(module: Any) -> str:
    """Return the real path of the interpreter a venv's ``sys`` module was made from."""
    return os.path.realpath(getattr(module, "_base_executable", module.executable))


def _peers_interpreter() -> str:
    """Return the version and interpreter of compare.py's peers' environment ('not set up' without one)."""
    venv = Path(os.environ.get("UST_BENCH_PEERS_VENV", Path(tempfile.gettempdir()) / "ust-bench-peers"))
    python = venv / "bin" / "python"
    if not python.exists():
        return "not set up"
    code = (
        "import os, platform, sys; print(platform.python_version(), os.path.realpath(sys._base_executable))"
    )
    done = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    version, _, path = done.stdout.strip().partition(" ")
    return f"{version} ({path})" if done.returncode == 0 else "?"


def machine() -> dict[str, str]:
    """Return what the numbers were measured on."""
    cpu = ""
    try:
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1).strip() if found else ""
    except OSError:
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    versions = []
    for name in VERSIONS:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    pango = subprocess.run(["pkg-config", "--modversion", "pango"], capture_output=True, text=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "code": os.environ.get("UST_BENCH_COMMIT")
        or (commit.stdout.strip() if commit.returncode == 0 else "?"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {cpu or 'CPU model unknown'}",
        "system": f"{platform.system()} {platform.release()}",
        "load average at start (1, 5, 15 min)": load,
        "python": f"{platform.python_version()} ({_base_interpreter(sys)})",
        "libraries": ", ".join(versions)
        + (f", pango {pango.stdout.strip()}" if pango.returncode == 0 else ""),
    }


def _stage_table(split: dict[str, Run]) -> list[str]:
    names = list(dict.fromkeys(name for run in split.values() for name in run.stages))
    lines = ["| stage | " + " | ".join(split) + " |", "|---|" + "---:|" * len(split)]
    for name in names:
        cells = [f"{run.stages[name]:.2f}" if name in run.stages else "–" for run in split.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append(
        "| **whole process** | " + " | ".join(f"**{run.seconds:.2f}**" for run in split.values()) + " |"
    )
    lines.append(
        "| peak memory (MiB) | " + " | ".join(f"{run.peak_mib:.0f}" for run in split.values()) + " |"
    )
    return lines


def print_report(results: dict) -> None:
    """Print the numbers measured, one line each."""
    out = sys.stdout.write
    for label, run in results["split"].items():
        stages = "  ".join(f"{name} {seconds:.2f}" for name, seconds in run.stages.items())
        out(f"{label:<14} {run.seconds:6.2f} s  peak {run.peak_mib:5.0f} MiB  [{stages}]\n")
    sizes = results["split"]["cold"].sizes
    out("sizes: " + "  ".join(f"{name} {size / 1024:.0f} KiB" for name, size in sizes.items()) + "\n")
    for label, seconds in results["imports"].items():
        out(f"{label:<44} {seconds:6.3f} s\n")
    for label, seconds in results.get("preview", {}).items():
        out(f"preview: {label:<38} {seconds:6.3f} s\n")
    if "backfill" in results:
        run = results["backfill"]
        out(
            f"{run.label}: {run.seconds:.1f} s, {run.sizes['dates']} dates built,"
            f" {run.sizes['failed']} failed, peak {run.peak_mib:.0f} MiB\n"
        )
    if "compare" in results:
        out(results["compare"][0])
    if results.get("ratios"):
        out("ratios against the targets of issue 13:\n")
        for name, value, target, ok in results["ratios"]:
            out(f"  {name:<20} {value:8.2f}   target ≤ {target:<6g} {'met' if ok else 'NOT met'}\n")


def target_rows(results: dict) -> list[tuple[str, float, float, bool]]:
    """Return (name, measured, target, met) for every target that could be measured."""
    rows: list[tuple[str, float, float, bool]] = []
    ratios = results.get("compare", ("", {}, {}))[1]
    peers = results.get("compare", ("", {}, {}))[2]
    for name in ("cold_vs_naive", "warm_vs_naive"):
        if name in ratios:
            rows.append((name, ratios[name], TARGETS[name], ratios[name] <= TARGETS[name]))
    naive = statistics.median([value for key, value in peers.items() if key.endswith("/naive")] or [0.0])
    if "backfill" in results and naive:
        ratio = results["backfill"].seconds / naive
        rows.append(
            ("backfill_vs_naive", ratio, TARGETS["backfill_vs_naive"], ratio <= TARGETS["backfill_vs_naive"])
        )
    preview = results.get("preview", {})
    if preview:
        html = max(preview["HTML refresh after a template edit"], preview["HTML refresh after a views edit"])
        rows.append(("preview_html_s", html, TARGETS["preview_html_s"], html <= TARGETS["preview_html_s"]))
        pdf = preview["PDF link after a views edit"]
        rows.append(("preview_pdf_s", pdf, TARGETS["preview_pdf_s"], pdf <= TARGETS["preview_pdf_s"]))
        ahead = next((seconds for label, seconds in preview.items() if "--pdf-ahead" in label), None)
        if ahead is not None:  # the same target, for a click a second after the refresh (CLI default)
            met = ahead <= TARGETS["preview_pdf_s"]
            rows.append(("preview_pdf_ahead_s", ahead, TARGETS["preview_pdf_s"], met))
    processes = [*results["split"].values(), *([results["backfill"]] if "backfill" in results else [])]
    peak = max(run.peak_mib for run in processes)  # the largest process of any build or backfill
    rows.append(("peak_mib", peak, TARGETS["peak_mib"], peak <= TARGETS["peak_mib"]))
    size = results["split"]["cold"].sizes.get("note.pdf", 0) / 1024 / 1024
    rows.append(("note_pdf_mib", size, TARGETS["note_pdf_mib"], size <= TARGETS["note_pdf_mib"]))
    return rows


def write_doc(results: dict, target: Path, runs: int, split_runs: int) -> None:
    """Write docs/performance.md from the measured numbers (the prose around them is in DOC_TEXT)."""
    facts = results["machine"]
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`python -m generator.bench`); every number below is from the run on",
        f"{facts['when']}. Timings on a shared machine move by 10–25 % between runs: the paired ratios are",
        "the figures to compare, not the absolute seconds.",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in facts.items()),
        "",
        "## Against the targets (issue 13)",
        "",
        "| measure | measured | target | |",
        "|---|---:|---:|---|",
        *(
            f"| {name} | {value:.2f} | ≤ {limit:g} | {'met' if ok else '**not met**'} |"
            for name, value, limit, ok in results["ratios"]
        ),
        "",
    ]
    if "compare" in results:
        lines += [
            f"## Paired comparison (`../shared/bench/compare.py --runs {runs}`)",
            "",
            "```",
            results["compare"][0].rstrip(),
            "```",
            "",
        ]
    lines += [
        f"## Stage split (seconds; median of {split_runs} fresh processes each, as of {AS_OF})",
        "",
        *_stage_table(results["split"]),
        "",
        "`appendix (beside)` is the appendix's own time in its child process, `appendix` the time the build",
        "then still waited for it; with the parallel stages the stages overlap, so they add up to more than",
        "the whole process.",
        "",
        "Sizes (cold build): "
        + ", ".join(f"{name} {size / 1024:.0f} KiB" for name, size in results["split"]["cold"].sizes.items()),
        "",
        "## Imports (seconds, medians)",
        "",
        "| what | seconds |",
        "|---|---:|",
        *(f"| `{label}` | {seconds:.3f} |" for label, seconds in results["imports"].items()),
        "",
    ]
    if "preview" in results:
        lines += [
            "## Preview (seconds, medians)",
            "",
            "| what | seconds |",
            "|---|---:|",
            *(f"| {label} | {seconds:.3f} |" for label, seconds in results["preview"].items()),
            "",
        ]
    if "backfill" in results:
        run = results["backfill"]
        lines += [
            "## Backfill",
            "",
            f"`backfill --from {BACKFILL[0]} --to {BACKFILL[1]} --weekday fri --jobs 2` into an empty",
            f"folder with a new cache: {run.seconds:.1f} s; {run.sizes['dates']} dates built,"
            f" {run.sizes['failed']} failed,",
            f"peak memory {run.peak_mib:.0f} MiB.",
            "",
        ]
    lines += [DOC_TEXT, kept_notes(target), closing_note(results)]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), encoding="utf-8")


KEPT_START = "<!-- notes kept by make bench: edit freely between these two lines -->"
KEPT_END = "<!-- end of kept notes -->"


def kept_notes(target: Path) -> str:
    """Return the hand-written notes of the existing report (between the markers), markers included."""
    text = target.read_text(encoding="utf-8") if target.is_file() else ""
    start, end = text.find(KEPT_START), text.find(KEPT_END)
    if start < 0 or end < start:
        return f"{KEPT_START}\n{KEPT_END}\n"
    return text[start : end + len(KEPT_END)] + "\n"


def closing_note(results: dict) -> str:
    """Return the closing paragraph: every target with its measured value."""
    parts = [
        f"{name} {value:.2f} (target ≤ {limit:g}, {'met' if ok else 'not met'})"
        for name, value, limit, ok in results["ratios"]
    ]
    return "## Closing note\n\nMeasured by this run: " + "; ".join(parts) + ".\n"


DOC_TEXT = """## How each figure is measured

- **cold / warm vs naive**: `compare.py` runs `python -m generator build --as-of 2025-02-07 --data-dir
  ../shared/data` of this checkout (through a two-line wrapper script) and the peers alternately, after
  one untimed warm-up each; cold gives every project run a new, empty `--cache`, warm keeps one. Ratio
  = project median / peer median, both from the same run. The project runs on the interpreter its
  `.venv` was made from (the Makefile's default: Debian's python3), the peers on the one compare.py
  made their environment from; both are named under Machine.
- **stage split**: the build's own stage timings from manifest.json, for the median of the fresh
  processes in each column; *cold, serial* sets `UST_WEEKLY_SERIAL=1`, which runs the stages one after
  the other in one process as before the parallel stages (generator/parallel.py).
- **peak memory**: `ru_maxrss` from `wait4` (the largest of the build process and the children it
  waited for), read by a small process that starts the build: read here, a process started from the
  large bench process would count the bench's own memory as its peak. The target is 400 MB = 381 MiB.
- **backfill**: one process, wall time, compared with the naive pipeline's median from the paired run.
- **preview**: a `PreviewServer` in the bench process; the HTML refresh is `rebuild()` of what a
  template edit (`html`) or a views edit (`views`) invalidates; the PDF link is `pdf()` after a views
  edit (what a click on the page's PDF link costs).

## What makes a build fast

- **Parse cache** (generator/parse_cache.py): each file's parsed frame is kept under
  `--cache/parsed/`, keyed by the SHA-256 of the file, the series' catalogue entry, the adapters' code
  and the pandas/numpy versions; a warm build reads ~95 small .npz files instead of parsing 75
  publisher files.
- **Chart cache** (charts/render.py): an exhibit is drawn only when the SHA-256 of its plotted frame,
  the charts code, the style file or matplotlib changed; every drawing is also kept by that key in
  `--cache/charts/drawn/`, so a date whose frame another date already plotted copies it (5 to 8 of
  the 12 exhibits of a Friday in 2024).
- **Full collections deferred** (generator/collector.py): while a backfill worker builds a date or the
  preview renders its PDF, Python's cycle collector collects only its young generations; the full
  collections, which walked the whole laid-out note again and again, wait until the end (the worker
  collects after each date, the preview once the PDF is sent).
- **Byte-compiled modules**: `make setup` compiles the project's modules, which an editable install
  leaves to their first import (never written where `PYTHONDONTWRITEBYTECODE` is set).
- **Drawings replayed** (generator/shared_drawings.py): each chart is drawn once for both editions,
  and what the drawing put in the PDF (its form, nested forms, graphic states, glyphs) is kept by the
  SHA-256 of the SVG; the process's next note that places the same file replays it (every chart after
  a views edit in the preview, the unchanged exhibits of the next date in a backfill worker).
- **Each PDF object serialised once** (generator/pdf_objects.py): given a file identifier, pydyf
  serialised and compressed every object a second time to hash it; now once per write.
- **Font subsets kept** (generator/font_subsets.py): a note that uses the same glyphs as the process's
  last one (the preview after most edits) reuses its font subsets instead of asking HarfBuzz again.
- **Appendix cells** (generator/xlsx_cells.py): the later numbers and dates of an exhibit's column copy
  the first one's data type and style, and plain number and date cells are written as the text
  openpyxl's writer would give them, without building an XML element each (same bytes).
- **Exhibit frames computed once** (`charts.exhibits.exhibit_frames`): the charts and the appendix's
  sheets share them.
- **Lazy imports**: a build whose exhibits are all cached never imports matplotlib; WeasyPrint is
  imported only by the note stage, openpyxl only where the workbook is written (not at all when the
  kept appendix is reused), requests and tenacity only for downloads.
- **Parallel stages** (generator/parallel.py): once figures exist, the appendix is written in a forked
  child beside the exhibits and the note, and the exhibits to draw are split over two processes. The
  children inherit the loaded data (nothing pickled); their errors come back as the same one-line error.
  Serial where forking does not help: one core, in backfill's workers, beside a non-daemon thread.
- **Backfill**: the data are loaded once in the parent, which imports the renderers and the workbook
  writer before forking; two workers build the dates, each running its stages one after another.

The note itself (WeasyPrint layout and drawing the 24 placed SVG exhibits) is most of what remains;
see the closing note of the run in the table above for what is and is not met.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="paired runs of compare.py, preview repeats")
    parser.add_argument("--split-runs", type=int, default=3, help="fresh processes per stage-split column")
    parser.add_argument("--no-compare", action="store_true", help="skip the paired comparison with the peers")
    parser.add_argument("--no-backfill", action="store_true", help="skip the 52-date backfill")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview timings")
    parser.add_argument(
        "--doc", type=Path, default=DOC, help="where to write the report (with ../shared/bench)"
    )
    args = parser.parse_args(argv)
    data = SHARED_DATA if SHARED_DATA.is_dir() else None
    results: dict = {"machine": machine()}
    sys.stdout.write(f"data: {data or 'demo (../shared/data is absent)'}\n")
    with tempfile.TemporaryDirectory(prefix="ust-bench-") as folder:
        work = Path(folder)
        results["split"] = stage_split(data, work, args.split_runs)
        results["imports"] = import_seconds(args.runs)
        if not args.no_preview:
            results["preview"] = preview_seconds(data, work, args.runs)
        if data and not args.no_backfill:
            results["backfill"] = backfill_seconds(data, work)
    if data and COMPARE.is_file() and not args.no_compare:
        results["compare"] = paired_comparison(data, args.runs)
        # the peers run on the interpreter compare.py made their environment from: say which, beside ours
        results["machine"]["the peers' python (compare.py's environment)"] = _peers_interpreter()
    results["ratios"] = target_rows(results)
    print_report(results)
    if "compare" in results:
        write_doc(results, args.doc, args.runs, args.split_runs)
        sys.stdout.write(f"wrote {args.doc}\n")


if __name__ == "__main__":
    main()
