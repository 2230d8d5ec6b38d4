"""The CLI, driven in-process: help texts with examples, exit codes, and the check table."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help_with_an_example(command, flag):
    result = CliRunner().invoke(cli, [command, flag])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"ust-weekly {command}" in result.output


def test_every_command_is_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"ust-weekly {command}" in readme, command


def test_usage_error_exits_2(tmp_path):
    result = CliRunner().invoke(cli, ["build", "--as-of", "07/02/2025"])
    assert result.exit_code == 2


def test_missing_data_dir_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["check", "--data-dir", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_check_exits_1_only_when_an_essential_series_is_missing(tmp_path):
    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "DGS2.csv").write_text("observation_date,DGS2\n2025-01-02,4.2\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--as-of", "2025-01-10", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "essential series missing: ust10y" in " ".join(result.output.split())


def test_check_lists_unavailable_figures_and_strict_exits_4(tmp_path):
    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "DGS10.csv").write_text("observation_date,DGS10\n2025-01-09,4.5\n", encoding="utf-8")
    args = ["check", "--as-of", "2025-01-10", "--data-dir", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "missing" in output
    assert "figures unavailable as of 2025-01-10" in output
    assert "cpi.yoy: not in the data folder" in output
    assert CliRunner().invoke(cli, [*args, "--strict"]).exit_code == 4  # unavailable figures (none stale)


def test_check_shared_data_lists_every_series_as_available(shared_data):
    result = CliRunner().invoke(cli, ["check", "--as-of", "2025-02-07", "--data-dir", str(shared_data)])
    assert result.exit_code == 0, result.output
    assert "0 stale, 0 missing" in result.output


def test_weekly_loop_through_the_command_line(tmp_path, monkeypatch):
    """init → settings → build (editions) → send --dry-run → backfill, all through the CLI."""
    runner = CliRunner()
    desk = tmp_path / "desk"
    assert runner.invoke(cli, ["init", str(desk)]).exit_code == 0
    settings = desk / "ust-weekly.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8")
        + '\nout_dir = "archive"\ncache_dir = "cache"\nlangs = ["en"]\ndated_names = true\n'
        '[smtp]\nhost = "127.0.0.1"\nsecurity = "none"\nsender = "desk@example.com"\n'
        '[[recipients]]\nemail = "client@example.com"\nlang = "en"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(desk)

    built = runner.invoke(cli, ["build", "--as-of", "2025-02-07", "-q"])
    assert built.exit_code == 0, built.output
    out = desk / "archive" / "2025-02-07"
    assert (out / "ust-weekly_2025-02-07_en.pdf").is_file(), "langs and dated names from the settings file"
    assert (out / "ust-weekly_2025-02-07_appendix.xlsx").is_file()
    assert not (out / "note.pdf").exists()
    assert not (out / "note_en.pdf").exists()

    refused = runner.invoke(cli, ["send", "--as-of", "2025-02-07", "--dry-run"])
    assert refused.exit_code == 1
    assert "demo data" in refused.output
    sent = runner.invoke(cli, ["send", "--as-of", "2025-02-07", "--dry-run", "--allow-demo"])
    assert sent.exit_code == 0, sent.output
    assert (out / "outbox" / "client@example.com.eml").is_file()
    logged = " ".join(sent.output.split())  # the console may wrap the line
    assert "dry run: wrote outbox/client@example.com.eml for client@example.com (en)" in logged

    archived = runner.invoke(
        cli, ["backfill", "--from", "2025-01-31", "--to", "2025-02-07", "--jobs", "1", "-q"]
    )
    assert archived.exit_code == 0, archived.output
    assert "2 built, 0 unchanged, 0 failed" in archived.output  # a plain build leaves no fingerprint
    assert (desk / "archive" / "index.html").is_file()


def test_invalid_settings_stop_with_the_key(tmp_path, monkeypatch):
    (tmp_path / "ust-weekly.toml").write_text('langs = ["fr"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--as-of", "2025-02-07"])
    assert result.exit_code == 1
    assert "langs.0" in result.output
