"""``ust-weekly init``: the scaffolded folder validates, and its overlay renders."""

from __future__ import annotations

from click.testing import CliRunner
from note_support import figures_doc, placeholder_exhibits

from generator.analyst import scaffold_analyst_folder
from generator.cli import cli
from generator.config import load_config
from generator.note import NoteInputs
from generator.render import render_html
from generator.views import load_views


def test_init_writes_a_valid_folder_and_keeps_existing_files(tmp_path):
    folder = tmp_path / "desk"
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    for name in ("views.yaml", "refunding.csv", "tariff_scenarios.csv", "ust-weekly.toml"):
        assert (folder / name).is_file(), name
    config = load_config(folder / "ust-weekly.toml")
    assert config.templates == folder / "templates"
    assert load_views(config.views).headline("zh")
    (folder / "views.yaml").write_text("edited", encoding="utf-8")
    again = scaffold_analyst_folder(folder)
    assert folder / "views.yaml" in again.kept
    assert (folder / "views.yaml").read_text(encoding="utf-8") == "edited"


def test_scaffolded_overlay_renders_and_its_example_works(tmp_path):
    folder = tmp_path / "desk"
    scaffold_analyst_folder(folder)
    overlay = folder / "templates"
    inputs = NoteInputs.from_document(
        figures_doc(), placeholder_exhibits(tmp_path / "charts"), load_views(folder)
    )
    plain = render_html(inputs, "zh,en")
    assert render_html(inputs, "zh,en", templates_overlay=overlay) != ""
    (overlay / "note.html.example").rename(overlay / "note.html")
    custom = render_html(inputs, "zh,en", templates_overlay=overlay)
    assert "仅供内部使用。" in custom
    assert "For internal distribution only." in custom
    assert "仅供内部使用。" not in plain
