"""ust-weekly.toml: discovery, validation errors by key, relative paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import find_config, load_config
from generator.errors import ConfigError


def _write(folder: Path, text: str) -> Path:
    path = folder / "ust-weekly.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_found_from_a_subfolder(tmp_path):
    path = _write(tmp_path, 'langs = ["en"]\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_config(nested) == path


def test_paths_resolve_against_the_file(tmp_path):
    config = load_config(_write(tmp_path, 'data_dir = "data"\nout_dir = "/abs/out"\n'))
    assert config.data_dir == tmp_path / "data"
    assert config.out_dir == Path("/abs/out")


def test_every_problem_is_named_by_key(tmp_path):
    path = _write(
        tmp_path,
        'langs = ["fr"]\n[smtp]\nhost = "mail"\nport = 70000\nsender = "not-an-address"\n'
        '[[recipients]]\nemail = "a@example.com"\nlang = "de"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    for key in ("langs.0", "smtp.port", "smtp.sender", "recipients.0.lang"):
        assert key in message
    assert str(path) in message


def test_unknown_key_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="colour"):
        load_config(_write(tmp_path, 'colour = "red"\n'))


def test_toml_syntax_error_names_the_line(tmp_path):
    with pytest.raises(ConfigError, match=r"ust-weekly.toml:2:"):
        load_config(_write(tmp_path, 'langs = ["en"]\nout_dir = \n'))


def test_exhibit_windows_are_validated(tmp_path):
    config = load_config(_write(tmp_path, '[exhibit_windows]\nE01 = "3y"\nE09 = "2010-01-01"\n'))
    assert config.exhibit_windows == {"E01": "3y", "E09": "2010-01-01"}
    with pytest.raises(ConfigError, match=r"exhibit_windows.*'E13' is not an exhibit"):
        load_config(_write(tmp_path, '[exhibit_windows]\nE13 = "3y"\n'))
    with pytest.raises(ConfigError, match="write a window as 3y"):
        load_config(_write(tmp_path, '[exhibit_windows]\nE01 = "three years"\n'))
