"""Compiled templates shared across environments: compiled once, yet every edit and overlay file is seen."""

from __future__ import annotations

import jinja2
import pytest

from generator import render


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    monkeypatch.setattr(render, "COMPILED", render.CompiledTemplates())
    return names


def test_a_template_is_compiled_once_for_every_environment(compiles):
    for lang in ("zh", "en", "zh"):
        render.make_environment(None, lang).get_template("base.html")
    assert compiles.count("base.html") == 1


def test_an_edited_template_is_compiled_again(tmp_path, compiles):
    (tmp_path / "note.html").write_text("first {{ 1 + 1 }}", encoding="utf-8")
    assert render.make_environment(tmp_path, "en").get_template("note.html").render() == "first 2"
    (tmp_path / "note.html").write_text("second {{ 2 + 2 }}", encoding="utf-8")
    assert render.make_environment(tmp_path, "en").get_template("note.html").render() == "second 4"
    assert compiles.count("note.html") == 2


def test_an_overlay_file_added_later_shadows_the_bundled_one(tmp_path, compiles):
    bundled = render.make_environment(tmp_path, "en").get_template("base.html").render
    assert bundled  # compiled from the bundled templates
    (tmp_path / "base.html").write_text("the desk's own base", encoding="utf-8")
    assert render.make_environment(tmp_path, "en").get_template("base.html").render() == "the desk's own base"
