"""Templates read only from their folders, and a resource the PDF may not load is one clear error."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from note_support import figures_doc, placeholder_exhibits

from generator.errors import TemplateError
from generator.note import NoteInputs
from generator.render import BUNDLED_TEMPLATES, render_html, render_pdf, write_note
from generator.template_loader import FolderLoader
from generator.views import load_views


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside every template folder (a stand-in for /etc/passwd)."""
    path = tmp_path / "outside" / "passwd"
    path.parent.mkdir()
    path.write_text("root:x:0:0:SECRET-LINE:/root:/bin/bash\n", encoding="utf-8")
    return path


@pytest.fixture
def overlay(tmp_path) -> Path:
    folder = tmp_path / "desk"
    folder.mkdir()
    return folder


def _inputs(chart_dir: Path) -> NoteInputs:
    return NoteInputs.from_document(figures_doc(), placeholder_exhibits(chart_dir), load_views(), demo=False)


def test_an_include_that_links_outside_is_refused(tmp_path, overlay, secret):
    (overlay / "leak.html").symlink_to(secret)
    (overlay / "note.html").write_text(
        '{% extends "base.html" %}\n{% block disclaimer %}\n{% include "leak.html" %}\n{% endblock %}\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError) as caught:
        render_html(_inputs(tmp_path / "charts"), "en", templates_overlay=overlay)
    message = str(caught.value)
    assert "note.html:3:" in message, "the template that includes it, and the line"
    assert f"'leak.html' is a link to {secret}, outside the template folders" in message
    assert "SECRET-LINE" not in message


def test_an_overridden_entry_template_that_links_outside_is_refused(tmp_path, overlay, secret):
    (overlay / "note.html").symlink_to(secret)
    with pytest.raises(TemplateError, match=r"'note\.html' is a link to"):
        render_html(_inputs(tmp_path / "charts"), "en", templates_overlay=overlay)


def test_a_linked_folder_outside_is_refused_too(tmp_path, overlay, secret):
    (overlay / "en").symlink_to(secret.parent, target_is_directory=True)
    env = jinja2.Environment(loader=FolderLoader([overlay, BUNDLED_TEMPLATES]))
    with pytest.raises(TemplateError, match="outside the template folders"):
        env.get_template("en/passwd")


def test_links_inside_the_template_folders_still_work(tmp_path, overlay):
    (overlay / "shared").mkdir()
    (overlay / "shared" / "block.html").write_text("<p>ours</p>", encoding="utf-8")
    (overlay / "block.html").symlink_to(overlay / "shared" / "block.html")
    (overlay / "bundled-base.html").symlink_to(BUNDLED_TEMPLATES / "base.html")
    linked_overlay = tmp_path / "desk-link"
    linked_overlay.symlink_to(overlay, target_is_directory=True)  # the overlay folder itself may be a link
    env = jinja2.Environment(loader=FolderLoader([linked_overlay, BUNDLED_TEMPLATES]))
    assert env.get_template("block.html").render() == "<p>ours</p>"
    source, _name, _uptodate = env.loader.get_source(env, "bundled-base.html")  # read, not compiled
    assert source == (BUNDLED_TEMPLATES / "base.html").read_text(encoding="utf-8")
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template("../outside/passwd")


def test_the_email_templates_are_confined_too(tmp_path, overlay, secret):
    from generator.send import _environment

    (overlay / "email").mkdir()
    (overlay / "email" / "body.txt").symlink_to(secret)
    with pytest.raises(TemplateError, match="outside the template folders"):
        _environment(overlay).get_template("email/body.txt")


@pytest.mark.parametrize(
    "markup",
    [
        '<a rel="attachment" href="file:///etc/passwd">data</a>',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        '<img src="file:///etc/passwd">',
        '<img src="../../../../../../etc/passwd">',
    ],
)
def test_a_refused_resource_is_one_error_naming_the_url(tmp_path, markup):
    html = f"<html><head></head><body><p>x</p>{markup}</body></html>"
    with pytest.raises(TemplateError) as caught:
        render_pdf(html, BUNDLED_TEMPLATES, tmp_path / "note.pdf")
    message = str(caught.value)
    assert "resource refused: file:///etc/passwd: outside the template and chart folders" in message
    assert not (tmp_path / "note.pdf").exists()


def test_an_attachment_link_in_an_overlay_stops_the_note_with_one_error(tmp_path, overlay):
    (overlay / "note.html").write_text(
        '{% extends "base.html" %}\n{% block disclaimer %}{{ super() }}'
        '<p><a rel="attachment" href="file:///etc/passwd">data</a></p>{% endblock %}\n',
        encoding="utf-8",
    )
    with pytest.raises(TemplateError, match=r"^note_en\.pdf: resource refused: file:///etc/passwd"):
        write_note(
            tmp_path / "note_en.pdf",
            figures_doc(),
            placeholder_exhibits(tmp_path / "charts"),
            langs="en",
            templates_overlay=overlay,
        )
    assert not (tmp_path / "note_en.pdf").exists()
