"""Mutation suite: every file a ``--data-dir ../shared/data`` build reads, damaged one way at a time.

For each file and each mutation class, a temporary data folder holds the damaged copy (every other file
is linked in place); only the series that read the file are loaded again, the cross-checks run over the
whole store, and the outcome must be one of:

- the baseline: every reloaded series shows, as of 2025-02-07, the observations of the undamaged build
  (so the figures, exhibits and appendix are the baseline's), or
- a :class:`DataError` naming the damaged file.

Never a different number without an error. Shuffled rows, a BOM and CRLF/LF line ends are legitimate
variations and must give the baseline. A few whole builds (``python -m generator build``) check the
same from the outside: exit status 1, the file named on stderr, ``--out`` untouched.

Counts and runtime are recorded in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from generator.catalogue import SERIES, SeriesSpec, series_spec
from generator.figures import compute_figures
from generator.inputs import load_inputs
from generator.publication import AtNextRelease
from generator.sources import find_files, read_file
from generator.store import Store, cut_as_of, load_store
from generator.validate import CROSS_CHECKS, cross_check

pytestmark = pytest.mark.reliability

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
AS_OF = date(2025, 2, 7)
TARGET_BEFORE = pd.Timestamp("2024-10-31")  # a row every as-of view sees (lags of up to ~3 months)
COMPARED = ["date", "published", "value", "realtime"]


# --------------------------------------------------------------------------- what the build reads


@cache
def files_read(data_dir: Path) -> dict[str, tuple[SeriesSpec, ...]]:
    """Return each file a build reads (path relative to ``data_dir``) → the series that read it."""
    readers: dict[str, list[SeriesSpec]] = {}
    for spec in SERIES:
        for path in find_files(data_dir, spec):
            readers.setdefault(path.relative_to(data_dir).as_posix(), []).append(spec)
    return {name: tuple(specs) for name, specs in sorted(readers.items())}


FILES = list(files_read(SHARED_DATA)) if SHARED_DATA.is_dir() else []


@dataclass(frozen=True)
class Baseline:
    store: Store
    cut: dict[str, pd.DataFrame]
    readers: dict[str, tuple[SeriesSpec, ...]]


@cache
def baseline() -> Baseline:
    store = load_store(SHARED_DATA)
    assert not store.problems, store.problems
    assert sorted(item.path for item in store.files) == sorted(
        str(SHARED_DATA / name) for name in files_read(SHARED_DATA)
    ), "the mutation suite must cover exactly the files the store reads"
    cut = {key: _cut(loaded.observations) for key, loaded in store.series.items()}
    return Baseline(store, cut, files_read(SHARED_DATA))


def _cut(observations: pd.DataFrame) -> pd.DataFrame:
    return cut_as_of(observations, pd.Timestamp(AS_OF))[COMPARED].reset_index(drop=True)


# --------------------------------------------------------------------------- mutations of raw bytes

_DATE_START = re.compile(
    r'^\s*"?(\d{4}-\d{2}(-\d{2})?|\d{1,2}/\d{1,2}/\d{2,4}|\d{8}|\d{1,2}-[A-Za-z]{3}-\d{4}|[SHR]\d{1,2}\.\d{1,2}\.\d{1,2})\b'
)
_NUMBER = re.compile(r"^-?\d+(\.\d*)?$")


def _text(raw: bytes) -> tuple[str, str]:
    for encoding in ("utf-8", "cp932", "latin-1"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("undecodable")  # latin-1 decodes anything


def _lines(raw: bytes) -> tuple[list[str], str]:
    text, encoding = _text(raw)
    return text.splitlines(keepends=True), encoding


def _join(lines: list[str], encoding: str) -> bytes:
    return "".join(lines).encode(encoding)


def _delimiter(line: str) -> str:
    return "\t" if line.count("\t") > line.count(",") else ","


@cache
def _parsed(name: str) -> tuple[pd.DataFrame, ...]:
    return tuple(read_file(SHARED_DATA / name, spec) for spec in baseline().readers[name])


def _target_line(name: str, lines: list[str]) -> int:
    """Return the index (0-based) of the line holding a value every as-of view sees."""
    for frame in _parsed(name):
        if "line" in frame.columns:
            seen = frame[frame["date"] <= TARGET_BEFORE]
            row = seen.iloc[-1] if not seen.empty else frame.iloc[-1]
            return int(row["line"]) - 1
    dated = [index for index, line in enumerate(lines) if _DATE_START.match(line)]
    assert dated, f"{name}: no line numbers from the adapter and no dated lines"
    return dated[len(dated) // 2]


def _map_numbers(line: str, change: Callable[[str], str], value_only: float | None = None) -> str:
    """Apply ``change`` to the numeric cells of ``line`` (only to those equal to ``value_only`` if any)."""
    ending = line[len(line.rstrip("\r\n")) :]
    delimiter = _delimiter(line)
    cells = line.rstrip("\r\n").split(delimiter)
    numeric = []
    for index, cell in enumerate(cells):
        bare = cell.strip().strip('"').replace(",", "")
        if index > 0 and _NUMBER.match(bare):
            numeric.append(index)
    chosen = numeric
    if value_only is not None:
        matching = [i for i in numeric if float(cells[i].strip().strip('"').replace(",", "")) == value_only]
        chosen = matching or numeric
    for index in chosen:
        cell = cells[index]
        quote = '"' if cell.strip().startswith('"') else ""
        cells[index] = f"{quote}{change(cell.strip().strip(chr(34)).replace(',', ''))}{quote}"
    return delimiter.join(cells) + ending


def _value_in_file(name: str, line_index: int) -> float | None:
    for frame in _parsed(name):
        if "line" in frame.columns:
            rows = frame[frame["line"] == line_index + 1]
            if len(rows) == 1:
                return float(rows["value"].iloc[0])
    return None


def _json_cache_mutation(name: str, raw: bytes, change: Callable[[list, int], None]) -> bytes | None:
    """For a FRED cache (one line of JSON): ``change(pairs, index)`` on the first reader's series at the
    last pair every as-of view sees, the document written back; None for any other file."""
    if not name.endswith(".json"):
        return None
    document = json.loads(raw)
    pairs = document["series"][baseline().readers[name][0].code]
    index = max(i for i, (day, _) in enumerate(pairs) if pd.Timestamp(day) <= TARGET_BEFORE)
    change(pairs, index)
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def _json_times_100(pairs: list, index: int) -> None:
    pairs[index][1] *= 100


def _json_conflicting(pairs: list, index: int) -> None:
    pairs.insert(index + 1, [pairs[index][0], pairs[index][1] * 1.01 + 0.01])


def _json_exact(pairs: list, index: int) -> None:
    pairs.insert(index + 1, list(pairs[index]))


def _json_non_numeric(pairs: list, index: int) -> None:
    pairs[index][1] = f"{pairs[index][1]}x"


def times_100(name: str, raw: bytes) -> bytes:
    if (mutated := _json_cache_mutation(name, raw, _json_times_100)) is not None:
        return mutated
    lines, encoding = _lines(raw)
    at = _target_line(name, lines)
    lines[at] = _map_numbers(lines[at], lambda cell: f"{float(cell) * 100:.6g}", _value_in_file(name, at))
    return _join(lines, encoding)


def conflicting_duplicate(name: str, raw: bytes) -> bytes:
    if (mutated := _json_cache_mutation(name, raw, _json_conflicting)) is not None:
        return mutated
    lines, encoding = _lines(raw)
    at = _target_line(name, lines)
    changed = _map_numbers(
        lines[at], lambda cell: f"{float(cell) * 1.01 + 0.01:.6g}", _value_in_file(name, at)
    )
    if not changed.endswith(("\n", "\r")):
        lines[at] += "\n"
    lines.insert(at + 1, changed if changed.endswith(("\n", "\r")) else changed + "\n")
    return _join(lines, encoding)


def exact_duplicate(name: str, raw: bytes) -> bytes:
    if (mutated := _json_cache_mutation(name, raw, _json_exact)) is not None:
        return mutated
    lines, encoding = _lines(raw)
    at = _target_line(name, lines)
    line = lines[at] if lines[at].endswith(("\n", "\r")) else lines[at] + "\n"
    lines[at] = line
    lines.insert(at + 1, line)
    return _join(lines, encoding)


def mid_line_cut(name: str, raw: bytes) -> bytes:
    """The transfer stopped two characters before the end of the last line (``…,4.45`` → ``…,4.``)."""
    body = raw.rstrip(b"\r\n")
    return body[:-2]


def half_file(name: str, raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def non_numeric(name: str, raw: bytes) -> bytes:
    if (mutated := _json_cache_mutation(name, raw, _json_non_numeric)) is not None:
        return mutated
    lines, encoding = _lines(raw)
    at = _target_line(name, lines)
    lines[at] = _map_numbers(lines[at], lambda cell: cell + "x", _value_in_file(name, at))
    return _join(lines, encoding)


def empty(name: str, raw: bytes) -> bytes:
    return b""


def shuffled_rows(name: str, raw: bytes) -> bytes | None:
    """Dated lines in a random order (the other lines stay where they are); None if fewer than two."""
    lines, encoding = _lines(raw)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\r\n" if "\r\n" in lines[0] else "\n"
    dated = [index for index, line in enumerate(lines) if _DATE_START.match(line)]
    if len(dated) < 2:
        return None
    order = dated[:]
    random.Random(name).shuffle(order)
    shuffled = lines[:]
    for place, source in zip(dated, order, strict=True):
        shuffled[place] = lines[source]
    return _join(shuffled, encoding)


def utf16(name: str, raw: bytes) -> bytes:
    text, _ = _text(raw)
    return text.encode("utf-16")


def bom(name: str, raw: bytes) -> bytes | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        return None
    text, encoding = _text(raw)
    return b"\xef\xbb\xbf" + text.encode("utf-8") if encoding == "utf-8" else None


def other_line_ends(name: str, raw: bytes) -> bytes:
    """CRLF for a file with LF line ends, LF for one with CRLF."""
    if b"\r\n" in raw:
        return raw.replace(b"\r\n", b"\n")
    return raw.replace(b"\n", b"\r\n")


def renamed_header(name: str, raw: bytes) -> bytes:
    """Every label of the first line gets a suffix (a publisher renaming its columns)."""
    lines, encoding = _lines(raw)
    first = next(index for index, line in enumerate(lines) if line.strip())
    delimiter = _delimiter(lines[first])
    ending = lines[first][len(lines[first].rstrip("\r\n")) :]
    cells = lines[first].rstrip("\r\n").split(delimiter)
    renamed = [
        (cell[:-1] + '_renamed"' if cell.endswith('"') else cell + "_renamed") if cell.strip() else cell
        for cell in cells
    ]
    lines[first] = delimiter.join(renamed) + ending
    return _join(lines, encoding)


MUTATIONS: dict[str, Callable[[str, bytes], bytes | None]] = {
    "x100": times_100,
    "conflicting_duplicate": conflicting_duplicate,
    "exact_duplicate": exact_duplicate,
    "mid_line_cut": mid_line_cut,
    "half_file": half_file,
    "non_numeric": non_numeric,
    "empty": empty,
    "shuffled_rows": shuffled_rows,
    "utf16": utf16,
    "bom": bom,
    "crlf": other_line_ends,
    "renamed_header": renamed_header,
}
#: legitimate variations of a file: the build must give the baseline, an error is a failure too
MUST_EQUAL_BASELINE = {"shuffled_rows", "bom", "crlf"}
#: damage that can never leave the baseline: a date read twice with two values, no data at all
MUST_BE_AN_ERROR = {"conflicting_duplicate", "empty"}


# --------------------------------------------------------------------------- running one case


def mutated_folder(tmp: Path, name: str, content: bytes, everything: bool = False) -> Path:
    """A data folder where ``name`` holds ``content`` and the other files of the series that read it
    and of the series whose release days date them (``everything``: every other file) link to the
    shared ones."""
    folder = tmp / "data"
    readers = files_read(SHARED_DATA)
    specs = set(readers[name])
    specs |= {series_spec(spec.lag.calendar) for spec in specs if isinstance(spec.lag, AtNextRelease)}
    needed = [other for other, by in readers.items() if everything or specs & set(by)]
    for other in needed:
        target = folder / other
        target.parent.mkdir(parents=True, exist_ok=True)
        if other == name:
            target.write_bytes(content)
        else:
            os.symlink(SHARED_DATA / other, target)
    return folder


def outcome(tmp: Path, name: str, mutation: str) -> tuple[str, str]:
    """Return the outcome of one case and a detail: "baseline", "error" (naming the file), "stale" (the
    series ends early and the build says so: a warning, exit status 3 with --strict), "skipped"; or a
    failure: "different", "unnamed error"."""
    content = MUTATIONS[mutation](name, (SHARED_DATA / name).read_bytes())
    if content is None:
        return "skipped", "not applicable to this file"
    folder = mutated_folder(tmp, name, content)
    base = baseline()
    specs = base.readers[name]
    reloaded = load_store(folder, specs)
    problems = dict(reloaded.problems)
    keys = {spec.key for spec in specs}
    checked = {key for check in CROSS_CHECKS if keys & {*check.left, check.right} for key in check.left}
    checked |= {check.right for check in CROSS_CHECKS if keys & {*check.left, check.right}}
    merged = {key: base.store.series[key].observations for key in checked if key in base.store.series}
    merged.update({key: loaded.observations for key, loaded in reloaded.series.items() if key in checked})
    for key in problems:
        merged.pop(key, None)
    problems.update(cross_check(merged))
    if problems:
        named = [text for text in problems.values() if name in text or Path(name).name in text]
        return ("error", named[0]) if named else ("unnamed error", next(iter(problems.values())))
    view = reloaded.as_of(AS_OF)
    stale = []
    for key in reloaded.series:
        now = _cut(reloaded.series[key].observations)
        if now.equals(base.cut[key]):
            continue
        detail = f"{key}: {len(now)} observations as of {AS_OF}, baseline {len(base.cut[key])}"
        if not (view.status(key).stale and not base.store.as_of(AS_OF).status(key).stale):
            return "different", detail
        stale.append(f"{detail}, newest {view.status(key).last_date}: stale")
    return ("stale", "; ".join(stale)) if stale else ("baseline", "")


def _events_only(name: str) -> bool:
    """A file of event days (value 1 each): a day listed twice is an exact repeat whatever the line says."""
    return all(spec.unit == "count" for spec in files_read(SHARED_DATA)[name])


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize("name", FILES)
def test_mutation_gives_baseline_or_names_the_file(tmp_path, shared_data, name, mutation):
    kind, detail = outcome(tmp_path, name, mutation)
    if mutation in MUST_EQUAL_BASELINE:
        assert kind in ("baseline", "skipped"), f"{name} / {mutation}: {kind}: {detail}"
    elif mutation in MUST_BE_AN_ERROR and not _events_only(name):
        assert kind == "error", f"{name} / {mutation}: {kind}: {detail}"
    else:
        allowed = ("baseline", "error", "stale", "skipped")
        assert kind in allowed, f"{name} / {mutation}: {kind}: {detail}"


def test_baseline_figures_compute(shared_data):
    """The baseline the cases compare with is a whole, consistent build's data."""
    figures = compute_figures(baseline().store.as_of(AS_OF), load_inputs())
    assert figures["ust10y.last"].date == "2025-02-07"  # the par curve, published the same evening


# --------------------------------------------------------------------------- whole builds (a sample)

BUILD_SAMPLE = [
    ("yields/fred_DGS10_thru_2026-08-20.csv", "x100"),
    ("debt/MSPD_SumSecty_20010131_20260531.csv", "conflicting_duplicate"),
    ("international/tic_mfhhis01.txt", "half_file"),
]


@pytest.mark.parametrize(("name", "mutation"), BUILD_SAMPLE)
def test_whole_build_stops_naming_the_file(tmp_path, shared_data, name, mutation):
    content = MUTATIONS[mutation](name, (shared_data / name).read_bytes())
    assert content is not None
    folder = mutated_folder(tmp_path, name, content, everything=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "previous.txt").write_text("the last good build\n")
    before = sorted(path.relative_to(out) for path in out.rglob("*"))
    result = subprocess.run(
        [
            *(sys.executable, "-m", "generator", "build", "--as-of", AS_OF.isoformat()),
            *("--data-dir", str(folder), "--out", str(out), "--cache", str(tmp_path / "cache")),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "400"},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert Path(name).name in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(path.relative_to(out) for path in out.rglob("*")) == before
    assert (out / "previous.txt").read_text() == "the last good build\n"
    shutil.rmtree(folder)
