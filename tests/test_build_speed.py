"""The speed-ups never change the outputs: parse cache, chart cache, stages beside each other."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from generator import parallel
from generator.build import BuildRequest, build_note
from generator.data import DEMO, DataRequest
from generator.errors import DataError

AS_OF = date(2025, 2, 7)
OUTPUTS = ("note.pdf", "appendix.xlsx", "figures.json")


def _outputs(folder: Path) -> dict[str, bytes]:
    files = {name: (folder / name).read_bytes() for name in OUTPUTS}
    files.update({f"charts/{path.name}": path.read_bytes() for path in sorted((folder / "charts").glob("*"))})
    return files


@pytest.fixture(scope="module")
def cold(tmp_path_factory) -> tuple[Path, Path]:
    """A first build (cache folder, output folder): every file parsed, every exhibit drawn."""
    root = tmp_path_factory.mktemp("speed")
    build_note(BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=root / "cache"), root / "cold"))
    return root / "cache", root / "cold"


def test_parallel_cached_and_serial_builds_give_the_same_bytes(cold, tmp_path):
    cache, cold_out = cold
    assert list((cache / "parsed").glob("*.npz")), "parsed files are kept in the cache"
    warm = build_note(BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=cache), tmp_path / "warm"))
    assert warm.timings["exhibits"] < 5
    with parallel.serial():
        # another cache folder: parsed and drawn again, one stage after the other, in this process
        serial = BuildRequest(
            AS_OF, DataRequest(DEMO, cache_dir=tmp_path / "serial-cache"), tmp_path / "serial"
        )
        build_note(serial)
    first = _outputs(cold_out)
    assert _outputs(tmp_path / "warm") == first
    assert _outputs(tmp_path / "serial") == first
    assert len([name for name in first if name.endswith(".svg")]) == 12


@pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two cores")
def test_an_appendix_that_fails_beside_the_note_fails_the_build_cleanly(cold, tmp_path, monkeypatch):
    cache, cold_out = cold
    out = tmp_path / "out"
    shutil.copytree(cold_out, out)
    before = _outputs(out)

    def broken(*args: object, **keywords: object) -> None:
        raise DataError("cannot tabulate the exhibit", file="E01", hint="check its data")

    monkeypatch.setattr("generator.build.exhibit_sheets", broken)  # called in the appendix's child
    with pytest.raises(DataError, match=r"E01: cannot tabulate the exhibit \(check its data\)"):
        build_note(BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=cache), out))
    assert _outputs(out) == before
    assert not [path.name for path in tmp_path.iterdir() if path.name.startswith(".out")]
    assert not parallel._running


def test_a_warm_build_imports_no_writer_it_does_not_use(cold, tmp_path):
    """Reused charts, note and appendix: matplotlib, WeasyPrint and openpyxl stay unimported (and a
    build from files never imports the HTTP client's libraries)."""
    cache, _ = cold
    script = (
        "import sys\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from generator.build import BuildRequest, build_note\n"
        "from generator.data import DEMO, DataRequest\n"
        f"build_note(BuildRequest(date({AS_OF.year}, {AS_OF.month}, {AS_OF.day}), "
        f"DataRequest(DEMO, cache_dir=Path({str(cache)!r})), Path({str(tmp_path / 'warm')!r})))\n"
        "print(sorted(name for name in ('matplotlib', 'weasyprint', 'openpyxl', 'requests', 'tenacity')"
        " if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert _outputs(tmp_path / "warm") == _outputs(cold[1])
