"""The note cache: the same HTML and files give the stored PDF; any change renders again."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import note_cache
from generator.note_cache import kept_in, made

PDF = b"%PDF-1.7\n...\n%%EOF\n"
HTML = '<html><img src="file:///tmp/.out.abc/charts/e01.svg"></html>'


@pytest.fixture
def roots(tmp_path: Path) -> list[Path]:
    templates, charts = tmp_path / "templates", tmp_path / "charts"
    templates.mkdir()
    charts.mkdir()
    (templates / "note.css").write_text("body { color: black }")
    (charts / "e01.svg").write_text("<svg/>")
    return [templates, charts]


class Renderer:
    """Counts renders; each returns a distinct complete PDF."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> bytes:
        self.calls += 1
        return PDF.replace(b"...", f"render {self.calls}".encode())


def test_unchanged_note_is_reused_and_any_changed_file_renders_again(tmp_path, roots):
    render = Renderer()
    with kept_in(tmp_path / "notes"):
        first = made(HTML, roots, render)
        assert made(HTML, roots, render) == first
        assert render.calls == 1
        (roots[0] / "note.css").write_text("body { color: navy }")
        assert made(HTML, roots, render) != first
        (roots[1] / "e01.svg").write_text("<svg><path/></svg>")
        made(HTML, roots, render)
        (roots[0] / "logo.svg").write_text("<svg/>")  # a new file the templates may load
        made(HTML, roots, render)
        made(HTML.replace("e01", "e02"), roots, render)
    assert render.calls == 5


def test_the_staging_folder_in_file_urls_does_not_matter(tmp_path, roots):
    render = Renderer()
    with kept_in(tmp_path / "notes"):
        made(HTML, roots, render)
        made(HTML.replace(".out.abc", ".out.xyz"), roots, render)
    assert render.calls == 1


def test_render_code_is_part_of_the_key(tmp_path, roots, monkeypatch):
    code = tmp_path / "render.py"
    code.write_text("VERSION = 1\n")
    monkeypatch.setattr(note_cache, "RENDER_CODE", code)
    before = note_cache.note_key(HTML, roots)
    code.write_text("VERSION = 2\n")
    assert note_cache.note_key(HTML, roots) != before


def test_an_incomplete_entry_is_rendered_again(tmp_path, roots):
    render = Renderer()
    with kept_in(tmp_path / "notes"):
        made(HTML, roots, render)
        (entry,) = (tmp_path / "notes").glob("*.pdf")
        entry.write_bytes(PDF[:10])
        assert made(HTML, roots, render).endswith(b"%%EOF\n")
    assert render.calls == 2


def test_outside_kept_in_every_note_is_rendered(tmp_path, roots):
    render = Renderer()
    made(HTML, roots, render)
    made(HTML, roots, render)
    assert render.calls == 2
    assert not list(tmp_path.rglob("*.pdf"))


def test_only_the_newest_entries_are_kept(tmp_path, roots, monkeypatch):
    monkeypatch.setattr(note_cache, "KEEP", 2)
    render = Renderer()
    with kept_in(tmp_path / "notes"):
        for index in range(4):
            made(HTML + str(index), roots, render)
    assert len(list((tmp_path / "notes").glob("*.pdf"))) == 2
