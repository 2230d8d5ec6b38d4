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


def test_check_reports_missing_series_and_exits_1(tmp_path):
    (tmp_path / "fred").mkdir()
    (tmp_path / "fred" / "DGS10.csv").write_text("observation_date,DGS10\n2025-01-02,4.5\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--as-of", "2025-01-10", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "ust10y" in result.output
    assert "missing" in result.output


def test_check_shared_data_lists_every_series_as_available(shared_data):
    result = CliRunner().invoke(cli, ["check", "--as-of", "2025-02-07", "--data-dir", str(shared_data)])
    assert result.exit_code == 0, result.output
    assert "0 stale, 0 missing" in result.output
