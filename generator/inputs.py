"""Analyst inputs: the few numbers with no machine-readable source, each with the citation it came from.

Files read, each looked up first in the analyst's folder (``--analyst DIR``) and then in the shipped
``analyst/`` folder at the repository root:

``refunding.csv``
    One row per Treasury refunding statement ("Treasury Announces Marketable Borrowing Estimates"):
    ``release_date,quarter,net_borrowing_current_q_bn,net_borrowing_next_q_bn,tga_end_current_q_bn,
    tga_end_next_q_bn,citation``. ``quarter`` is the current quarter of the statement (``2025Q1``);
    amounts are privately-held net marketable borrowing and end-of-quarter cash balances, $bn;
    ``tga_end_next_q_bn`` may be empty.
``durationmonitor_qra_log.csv`` (instead of ``refunding.csv``)
    A refunding log kept in ``../shared/data/debt`` (``announcement_date,quarter,
    projected_borrowing_current_q,projected_borrowing_next_q,projected_eoq_cash_balance,…,source_url,…``,
    $bn), mapped as: ``announcement_date`` → ``release_date``, ``projected_borrowing_current_q`` /
    ``_next_q`` → ``net_borrowing_current_q_bn`` / ``_next_q_bn``, ``projected_eoq_cash_balance`` →
    ``tga_end_current_q_bn`` (the log has no next-quarter cash balance: left empty) and ``source_url``
    → ``citation``; the commentary columns are ignored. The file name is recorded with the statements
    (``AnalystInputs.refunding_file``) and quoted with every figure taken from them.
``tariff_scenarios.csv``
    One row per (country, scenario): ``country,scenario,gdp_impact_pct,inflation_impact_pp,
    gdp_loss_bn,published,demo,citation``. ``gdp_impact_pct`` is the signed deviation of real GDP from
    baseline (%), ``inflation_impact_pp`` the change in inflation (pp), ``gdp_loss_bn`` a positive
    cumulative real GDP loss ($bn); any of the three may be empty, not all. ``demo`` is true for
    placeholder values. Optional ``country_zh`` and ``scenario_zh`` give the Chinese names the
    exhibits print beside the English ones (common country names are known without them).
``piie_tariff_scenarios_text_figures.csv`` (instead of ``tariff_scenarios.csv``)
    The transcription of PIIE's prose figures in ``../shared/data/macro``
    (``country,scenario,year,gdp_pct,inflation_pp,other_metric,other_value,source_url,…``), mapped as:
    ``gdp_pct`` → ``gdp_impact_pct``, ``inflation_pp`` → ``inflation_impact_pp``, ``other_value``
    (a positive loss in USD bn) → ``gdp_loss_bn``, ``source_url`` → ``citation``, ``demo`` false and
    ``published`` = :data:`PIIE_BLOG_PUBLISHED_BY` (the file records no date).

Every problem in a file is reported at once, as one :class:`~generator.errors.ConfigError` naming the
file and each row (line) and column that is wrong.
"""

from __future__ import annotations

import csv
import io
import logging
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from generator.errors import ConfigError, DataError

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

SHIPPED_ANALYST_DIR = Path(__file__).resolve().parents[1] / "analyst"
REFUNDING_FILE = "refunding.csv"
TARIFF_FILE = "tariff_scenarios.csv"
PIIE_TEXT_FIGURES_FILE = "piie_tariff_scenarios_text_figures.csv"
QRA_LOG_FILE = "durationmonitor_qra_log.csv"
#: columns that identify the refunding-log layout
QRA_LOG_COLUMNS = {"announcement_date", "projected_borrowing_current_q", "projected_borrowing_next_q"}

#: the PIIE blog behind the shared transcription was written before the inauguration (2025-01-20);
#: the file records no date, so rows in that format count as published on this, the latest possible day
PIIE_BLOG_PUBLISHED_BY = date(2025, 1, 20)


def _finite(value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


class RefundingStatement(BaseModel):
    """One refunding statement's borrowing estimates ($bn) for its current and next quarter."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    release_date: date
    quarter: str = Field(pattern=r"^\d{4}Q[1-4]$")
    net_borrowing_current_q_bn: float
    net_borrowing_next_q_bn: float
    tga_end_current_q_bn: float = Field(ge=0)
    tga_end_next_q_bn: float | None = Field(default=None, ge=0)
    citation: str = Field(pattern=r"^https?://\S+$")

    _check_numbers = field_validator(
        "net_borrowing_current_q_bn", "net_borrowing_next_q_bn", "tga_end_current_q_bn", "tga_end_next_q_bn"
    )(_finite)

    @model_validator(mode="after")
    def _released_near_its_quarter(self) -> RefundingStatement:
        year, quarter = int(self.quarter[:4]), int(self.quarter[5])
        quarter_start = date(year, 3 * quarter - 2, 1)
        gap_days = (self.release_date - quarter_start).days
        if not -45 <= gap_days <= 92:
            raise ValueError(f"release_date {self.release_date} is not near the start of {self.quarter}")
        return self


#: Chinese names of the countries tariff scenarios usually cover (a ``country_zh`` column overrides)
COUNTRY_ZH = {
    "United States": "美国",
    "US": "美国",
    "China": "中国",
    "Canada": "加拿大",
    "Mexico": "墨西哥",
    "Japan": "日本",
    "Euro area": "欧元区",
    "European Union": "欧盟",
    "EU": "欧盟",
    "Germany": "德国",
    "United Kingdom": "英国",
    "UK": "英国",
    "World": "全球",
}


def country_in_chinese(country: str, given: object = None) -> str | None:
    """Return a country's Chinese name: ``given`` (the table's ``country_zh``) when it is a non-empty
    string, else the usual name from :data:`COUNTRY_ZH`, else None."""
    if isinstance(given, str) and given:
        return given
    return COUNTRY_ZH.get(country)


class TariffScenario(BaseModel):
    """One country's modelled impact under one tariff scenario, with where it comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str = Field(min_length=1)
    scenario: str = Field(min_length=1)
    country_zh: str | None = None  #: Chinese name shown beside ``country`` in the exhibits
    scenario_zh: str | None = None  #: Chinese name shown beside ``scenario`` in the exhibits
    gdp_impact_pct: float | None = None
    inflation_impact_pp: float | None = None
    gdp_loss_bn: float | None = Field(default=None, ge=0)
    published: date
    demo: bool = False
    citation: str = Field(min_length=1)

    _check_numbers = field_validator("gdp_impact_pct", "inflation_impact_pp", "gdp_loss_bn")(_finite)

    @property
    def country_chinese(self) -> str:
        """The country's Chinese name: ``country_zh``, else the usual name, else the English one."""
        return country_in_chinese(self.country, self.country_zh) or self.country

    @model_validator(mode="after")
    def _has_a_number(self) -> TariffScenario:
        if self.gdp_impact_pct is None and self.inflation_impact_pp is None and self.gdp_loss_bn is None:
            raise ValueError("needs gdp_impact_pct, inflation_impact_pp or gdp_loss_bn")
        return self


@dataclass(frozen=True)
class AnalystInputs:
    """The validated analyst tables and the files they came from."""

    refunding: tuple[RefundingStatement, ...]
    tariff_scenarios: tuple[TariffScenario, ...]
    refunding_file: str
    tariff_file: str

    def refunding_as_of(self, as_of: date) -> RefundingStatement:
        """Return the latest refunding statement released on or before ``as_of``."""
        released = [row for row in self.refunding if row.release_date <= as_of]
        if not released:
            raise DataError(
                f"no refunding statement released on or before {as_of}",
                file=self.refunding_file,
                series="refunding",
                hint="add the statement to refunding.csv in the analyst folder",
            )
        return max(released, key=lambda row: row.release_date)

    def tariff_scenarios_as_of(self, as_of: date) -> tuple[TariffScenario, ...]:
        """Return the tariff-scenario rows published on or before ``as_of``."""
        return tuple(row for row in self.tariff_scenarios if row.published <= as_of)


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Return (line number, row) for every non-blank row of a UTF-8 CSV with a header."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", file=path) from exc
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    for row in reader:
        if None in row:
            raise ConfigError("more cells than header columns", file=path, line=reader.line_num)
        if any((cell or "").strip() for cell in row.values()):
            rows.append((reader.line_num, {key.strip(): (cell or "").strip() for key, cell in row.items()}))
    if reader.fieldnames is None:
        raise ConfigError("empty file (expected a header line)", file=path)
    return rows


def _blank_to_none(row: dict[str, str]) -> dict[str, str | None]:
    return {key: (value if value != "" else None) for key, value in row.items()}


def _validate_rows(path: Path, model: type[M], rows: list[tuple[int, dict]]) -> tuple[M, ...]:
    """Validate every row; report all problems of the file in one ConfigError."""
    parsed: list[M] = []
    problems: list[str] = []
    for line, row in rows:
        try:
            parsed.append(model.model_validate(row))
        except ValidationError as exc:
            for error in exc.errors():
                column = ".".join(str(part) for part in error["loc"]) or "row"
                problems.append(f"line {line}, {column}: {error['msg']} (got {error.get('input')!r})")
    if problems:
        raise ConfigError("; ".join(problems), file=path, hint="fix these rows of the analyst input")
    if not parsed:
        raise ConfigError("no rows", file=path)
    return tuple(parsed)


def _from_qra_log(row: dict[str, str]) -> dict[str, str | None]:
    """Map a row of the refunding log (``durationmonitor_qra_log.csv``) onto :class:`RefundingStatement`."""
    return _blank_to_none(
        {
            "release_date": row.get("announcement_date", ""),
            "quarter": row.get("quarter", ""),
            "net_borrowing_current_q_bn": row.get("projected_borrowing_current_q", ""),
            "net_borrowing_next_q_bn": row.get("projected_borrowing_next_q", ""),
            "tga_end_current_q_bn": row.get("projected_eoq_cash_balance", ""),
            "tga_end_next_q_bn": "",
            "citation": row.get("source_url", ""),
        }
    )


def read_refunding(path: Path) -> tuple[RefundingStatement, ...]:
    """Return the refunding statements in ``path`` (either layout), oldest release first."""
    rows = _read_rows(path)
    header = set(rows[0][1]) if rows else set()
    convert = _from_qra_log if QRA_LOG_COLUMNS <= header else _blank_to_none
    statements = _validate_rows(path, RefundingStatement, [(line, convert(row)) for line, row in rows])
    dates = [row.release_date for row in statements]
    duplicates = sorted({day for day in dates if dates.count(day) > 1})
    if duplicates:
        raise ConfigError(
            f"release_date appears more than once: {', '.join(map(str, duplicates))}", file=path
        )
    return tuple(sorted(statements, key=lambda row: row.release_date))


def _from_piie_text_figures(row: dict[str, str]) -> dict[str, str | None]:
    """Map a row of the PIIE prose-figure transcription onto :class:`TariffScenario` fields."""
    return _blank_to_none(
        {
            "country": row.get("country", ""),
            "scenario": row.get("scenario", ""),
            "gdp_impact_pct": row.get("gdp_pct", ""),
            "inflation_impact_pp": row.get("inflation_pp", ""),
            "gdp_loss_bn": row.get("other_value", "") if "USD bn" in row.get("other_metric", "") else "",
            "published": PIIE_BLOG_PUBLISHED_BY.isoformat(),
            "demo": "false",
            "citation": row.get("source_url", ""),
        }
    )


def read_tariff_scenarios(path: Path) -> tuple[TariffScenario, ...]:
    """Return the tariff scenarios in ``path`` (the project's format or the PIIE prose transcription)."""
    rows = _read_rows(path)
    header = set(rows[0][1]) if rows else set()
    if {"gdp_pct", "inflation_pp", "source_url"} <= header:
        mapped = [(line, _from_piie_text_figures(row)) for line, row in rows]
    else:
        mapped = [(line, _blank_to_none(row)) for line, row in rows]
    return _validate_rows(path, TariffScenario, mapped)


def _locate(folder: Path | None, *names: str) -> Path:
    """Return the first of ``names`` in ``folder``, else in the shipped analyst folder."""
    for base in (folder, SHIPPED_ANALYST_DIR):
        if base is None:
            continue
        for name in names:
            if (base / name).is_file():
                return base / name
    raise ConfigError(f"no {' or '.join(names)}", file=folder or SHIPPED_ANALYST_DIR)


def load_inputs(folder: Path | None = None) -> AnalystInputs:
    """Return the validated analyst inputs from ``folder`` (None: the shipped ``analyst/`` folder).

    A file missing from ``folder`` is taken from the shipped folder, so an analyst can override one table.
    """
    if folder is not None and not folder.is_dir():
        raise ConfigError("analyst folder not found", file=folder, hint="check --analyst")
    refunding_path = _locate(folder, REFUNDING_FILE, QRA_LOG_FILE)
    tariff_path = _locate(folder, TARIFF_FILE, PIIE_TEXT_FIGURES_FILE)
    log.info("analyst inputs: %s, %s", refunding_path, tariff_path)
    return AnalystInputs(
        refunding=read_refunding(refunding_path),
        tariff_scenarios=read_tariff_scenarios(tariff_path),
        refunding_file=str(refunding_path),
        tariff_file=str(tariff_path),
    )
