"""The build pipeline on demo data: outputs, manifest, all-or-nothing replacement."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.build import BuildRequest, build_note
from generator.data import DATA_DIR, DEMO, DataRequest, open_store
from generator.errors import DataError, UnavailableFiguresError
from generator.store import Store

AS_OF = date(2025, 2, 7)


@pytest.fixture(scope="session")
def demo_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def test_demo_build_writes_manifest(demo_cache, tmp_path):
    out = tmp_path / "out"
    result = build_note(BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=demo_cache), out))
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert record["as_of"] == "2025-02-07"
    assert record["data_as_of"] == "2025-02-07"
    assert record["unavailable"] == []
    assert record["data"]["demo"] is True
    assert record["inputs"], "every input file is listed"
    assert all(len(item["sha256"]) == 64 for item in record["inputs"])
    assert record["series"]["ust10y"]["last_date"] <= "2025-02-07"
    assert all(status["status"] == "ok" for status in record["series"].values())
    assert set(result.timings) >= {"load data", "check series"}


def test_failed_build_keeps_previous_outputs(demo_cache, tmp_path):
    out = tmp_path / "out"
    build_note(BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=demo_cache), out))
    before = (out / "manifest.json").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataError, match="series unavailable"):
        build_note(BuildRequest(AS_OF, DataRequest(DATA_DIR, data_dir=empty), out))
    assert (out / "manifest.json").read_bytes() == before
    leftovers = [path.name for path in tmp_path.iterdir() if path.name.startswith(".out")]
    assert leftovers == [], "staging folders are cleaned up"


def _page_texts(pdf: Path) -> list[str]:
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return text.stdout.split("\f")[:-1]


def test_same_inputs_same_bytes_and_demo_mark_on_every_page(demo_cache, tmp_path):
    request = BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=demo_cache), tmp_path / "a")
    build_note(request)
    build_note(BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=demo_cache), tmp_path / "b"))
    for name in ("note.pdf", "appendix.xlsx", "figures.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    pages = _page_texts(tmp_path / "a" / "note.pdf")
    assert len(pages) > 4
    assert all("DEMO DATA" in page for page in pages)


def test_editions_are_written_and_listed(demo_cache, tmp_path):
    out = tmp_path / "out"
    editions = (("zh", "en"), ("zh",), ("en",))
    build_note(BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=demo_cache), out, editions=editions))
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert record["editions"] == {"zh+en": "note.pdf", "zh": "note_zh.pdf", "en": "note_en.pdf"}
    english = "\n".join(_page_texts(out / "note_en.pdf"))
    assert "Exhibit 12" in english
    assert "Summary" in english
    assert "报告导读" not in english


def _without(store: Store, *keys: str) -> Store:
    """The store with ``keys`` removed, as if the data folder did not hold them."""
    kept = {key: loaded for key, loaded in store.series.items() if key not in keys}
    problems = {key: f"no file for {key}" for key in keys}
    return Store(kept, problems, origin=store.origin, data_dir=store.data_dir)


def test_a_missing_context_series_never_blocks_and_strict_names_the_unavailable_figures(demo_cache, tmp_path):
    store = _without(
        open_store(DataRequest(DEMO, cache_dir=demo_cache)), "eurusd", "usdjpy", "gdp_contrib_equipment"
    )
    out = tmp_path / "out"
    request = BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=demo_cache), out, strict=True)
    with pytest.raises(UnavailableFiguresError, match=r"gdp\.contrib_equipment_pp") as caught:
        build_note(request, store=store)
    assert "eurusd" not in str(caught.value)  # context series: no figure reads them
    assert not out.exists()


def test_only_an_essential_series_missing_fails_the_build(demo_cache, tmp_path):
    store = _without(open_store(DataRequest(DEMO, cache_dir=demo_cache)), "ust10y", "par10y")
    with pytest.raises(DataError, match=r"essential series unavailable.*ust10y"):
        build_note(
            BuildRequest(AS_OF, DataRequest(DEMO, cache_dir=demo_cache), tmp_path / "out"), store=store
        )


def test_the_tariff_exhibits_are_left_out_of_a_note_without_a_scenario(shared_data):
    """Before PIIE's January 2025 scenarios a note showed two empty boxes ("No data as of this date") over a
    quarter of a page in each edition; it now leaves them out and says so."""
    from datetime import date

    from generator.build import exhibit_captions, tariff_frame
    from generator.inputs import load_inputs
    from generator.store import load_store

    store, inputs = load_store(shared_data), load_inputs(None)
    for day, shown in ((date(2023, 3, 17), False), (date(2025, 2, 7), True)):
        ids = [item["id"] for item in exhibit_captions(store.as_of(day), tariff_frame(inputs, day))]
        assert ids[:10] == [f"E{number:02d}" for number in range(1, 11)]
        assert ("E11" in ids, "E12" in ids) == (shown, shown), day
