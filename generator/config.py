"""``ust-weekly.toml``: the analyst folder's defaults, validated on load.

The file is looked for in the working directory and its parents (the first one found wins), or given
with ``--config``. Relative paths in it are resolved against the file's folder, not the working
directory. Command-line options override it. Secrets never live here: the SMTP password is read from
the environment variable the file names (``password_env``).

Example::

    data_dir = "../shared/data"        # omit for the demo data; "live" for the fetched cache
    out_dir = "output"
    langs = ["zh", "en"]
    analyst_dir = "."                  # views.yaml, refunding.csv, tariff_scenarios.csv
    templates = "templates"            # overlay searched before the built-in templates
    dated_names = false                # true: ust-weekly_2025-02-07_zh.pdf … instead of note_zh.pdf

    [branding]
    desk = "Macro Research"
    desk_zh = "宏观经济研究"

    [smtp]
    host = "smtp.example.com"
    port = 587
    security = "starttls"              # starttls, ssl or none
    sender = "research@example.com"
    username_env = "UST_WEEKLY_SMTP_USER"
    password_env = "UST_WEEKLY_SMTP_PASSWORD"
    # allow_plaintext_auth = false     # true: log in without TLS to a host other than this machine

    [[recipients]]
    email = "client@example.com"
    name = "A Client"
    lang = "en"                        # zh, en or zh+en (bilingual)

    [validation.bounds]                # widen a series' plausible range or move, with the reason
    ust10y = {max_move = 1.2, reason = "a 100 bp day we have checked against the H.15 release"}
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, field_validator

from generator.errors import ConfigError
from generator.validate import WidenedBound

CONFIG_NAME = "ust-weekly.toml"
Edition = Literal["zh", "en", "zh+en"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Branding(_Strict):
    """The desk's name and logo; unset fields fall back to views.yaml (desk) and no logo."""

    desk: str | None = None
    desk_zh: str | None = None
    logo: str | None = None  #: an image file in the template overlay folder, shown in the title block


class Smtp(_Strict):
    host: str
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    sender: EmailStr
    username_env: str | None = "UST_WEEKLY_SMTP_USER"
    password_env: str | None = "UST_WEEKLY_SMTP_PASSWORD"
    ca_file: Path | None = None  #: extra CA bundle to trust (a private relay's certificate)
    timeout_seconds: float = Field(30.0, gt=0)
    attempts: int = Field(3, ge=1, le=10)
    #: send the login without TLS to a host that is not this machine (only on a network you trust)
    allow_plaintext_auth: bool = False


class WidenBound(_Strict):
    """A wider bound for one series than the catalogue's (``generator.catalogue.Bounds``)."""

    reason: str = Field(min_length=3)  #: why the value is real: kept in the build's log
    low: float | None = None
    high: float | None = None
    max_move: float | None = Field(None, gt=0)
    max_ratio: float | None = Field(None, gt=1)


class Validation(_Strict):
    """``[validation]``: what the desk changes in the validate stage (``generator.validate``)."""

    bounds: dict[str, WidenBound] = {}

    @field_validator("bounds")
    @classmethod
    def _only_widen(cls, value: dict[str, WidenBound]) -> dict[str, WidenBound]:
        from generator.catalogue import CATALOGUE

        for key, widen in value.items():
            if key not in CATALOGUE:
                raise ValueError(f"{key!r} is not a series of the catalogue")
            base = CATALOGUE[key].plausible
            narrower = [
                name
                for name, given, limit, wider in (
                    ("low", widen.low, base.low, lambda a, b: a <= b),
                    ("high", widen.high, base.high, lambda a, b: a >= b),
                    ("max_move", widen.max_move, base.max_move, lambda a, b: a >= b),
                    ("max_ratio", widen.max_ratio, base.max_ratio, lambda a, b: a >= b),
                )
                if given is not None and limit is not None and not wider(given, limit)
            ]
            if narrower:
                raise ValueError(
                    f"{key}: {', '.join(narrower)} would narrow the catalogue's bounds ({base}); "
                    "settings can only widen them"
                )
        return value

    def widened(self) -> tuple[WidenedBound, ...]:
        """The overrides in the form :func:`generator.validate.widen_bounds` applies."""
        return tuple(
            WidenedBound(key=key, **widen.model_dump()) for key, widen in sorted(self.bounds.items())
        )


class Recipient(_Strict):
    email: EmailStr
    name: str = ""
    lang: Edition = "zh+en"


class Config(_Strict):
    """Validated contents of ``ust-weekly.toml``; every field optional."""

    data_dir: Path | None = None
    cache_dir: Path | None = None
    out_dir: Path | None = None
    langs: tuple[Literal["zh", "en"], ...] = ("zh", "en")
    analyst_dir: Path | None = None
    templates: Path | None = None
    views: Path | None = None
    branding: Branding = Branding()
    smtp: Smtp | None = None
    recipients: tuple[Recipient, ...] = ()
    exhibit_windows: dict[str, str] = {}  #: e.g. {"E01" = "3y", "E09" = "2010-01-01"}
    validation: Validation = Validation()
    dated_names: bool = False  #: name the build's PDFs and workbook by date (generator.file_names)
    source: Path | None = Field(None, exclude=True)

    @field_validator("exhibit_windows")
    @classmethod
    def _windows_parse(cls, value: dict[str, str]) -> dict[str, str]:
        from charts.exhibits import EXHIBITS, parse_window

        for exhibit_id, text in value.items():
            if exhibit_id not in EXHIBITS:
                raise ValueError(f"{exhibit_id!r} is not an exhibit (E01…E12)")
            parse_window(text)
        return value

    @field_validator("langs")
    @classmethod
    def _langs_not_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("give at least one language")
        return value


PATH_FIELDS = ("data_dir", "cache_dir", "out_dir", "analyst_dir", "templates", "views")


def find_config(start: Path) -> Path | None:
    """Return the nearest ``ust-weekly.toml`` in ``start`` or its parents, or None."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None) -> Config:
    """Read and validate ``path`` (None → defaults); every problem is reported at once, by key."""
    if path is None:
        return Config()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        raise ConfigError(
            f"not valid TOML: {exc}", file=path, line=int(found.group(1)) if found else None
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", file=path) from exc
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}", file=path) from exc
    base = path.parent
    resolved = {
        name: (base / value if not value.is_absolute() else value)
        for name in PATH_FIELDS
        if (value := getattr(config, name)) is not None and str(value) != "live"
    }
    return config.model_copy(update={**resolved, "source": path})
