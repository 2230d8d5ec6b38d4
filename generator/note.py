"""The note's content before layout: figures, derived values, direction signals and exhibits.

figures.json document + exhibits + views → :class:`NoteInputs` → one Jinja context per language
(:func:`template_context`).

Direction words in the prose (rose/fell, widened/narrowed, above/below, a record) never come from the
templates' own judgement: each is a *signal* computed here from the figures, and a template only picks
the wording for the signal's state (``say(s.ust10y_1w, up="rose", down="fell", flat="was unchanged")``).
A state is decided on the value *as printed* (after rounding), so a change that prints as "0 bp" is
"flat", and a level that prints the same as its average is "level", never "above".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.errors import TemplateError
from generator.formatting import is_missing, round_half_up

UP, DOWN, FLAT = "up", "down", "flat"
ABOVE, BELOW, LEVEL = "above", "below", "level"
NA = "na"

#: Optional figures: used when present, the sentence that needs them is left out otherwise.
OPTIONAL_FIGURES = {
    "spread_10y2y.change_4w_bp": "change of the 10y-2y spread over 4 weeks (bp): widened / narrowed",
    "refunding.tga_assumption_next_q_bn": "cash balance assumed for the end of the next quarter ($bn)",
}

#: Decimals shown per unit (the key-figures table and ``fmt``); a few keys override them.
DECIMALS_BY_UNIT = {"%": 2, "bp": 0, "$bn": 0, "pp": 2, "months": 0}
DECIMALS_BY_KEY = {
    "bills.share_outstanding": 1,
    "bills.share_net_issuance_12m": 1,
    "mmf.treasury_share": 1,
    "gdp.qoq_saar_last": 1,
    "cpi.yoy": 1,
    "core_pce.yoy": 1,
    "tariff.gdp_impact_min": 2,
    "tariff.gdp_impact_max": 2,
}

#: The key-figures table: (group id, keys) in the order printed; group ids are labels in labels.yaml.
KEY_FIGURE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "rates",
        (
            "ust3m.last",
            "ust2y.last",
            "ust10y.last",
            "ust30y.last",
            "ust10y.high_3m",
            "ust10y.low_3m",
            "ust10y.change_1w_bp",
            "ust10y.change_4w_bp",
            "spread_10y2y.last_bp",
            "spread_10y3m.last_bp",
            "tp10.last",
            "tp10.avg_2y",
            "tp10.avg_pre_gfc",
            "vol10y.realized_1m_bp",
        ),
    ),
    (
        "supply",
        (
            "bills.share_outstanding",
            "bills.share_net_issuance_12m",
            "wam.months",
            "mmf.treasury_share",
            "tga.last_bn",
            "refunding.net_borrowing_current_q_bn",
            "refunding.net_borrowing_next_q_bn",
            "refunding.tga_assumption_bn",
            "interest.monthly_avg_bn",
        ),
    ),
    (
        "foreign",
        (
            "hedge_cost.jpy_3m",
            "hedge_cost.eur_3m",
            "hedged10y.jpy",
            "hedged10y.eur",
            "jgb10y.last",
            "bund10y.last",
            "foreign_holdings.total_bn",
            "foreign_holdings.record_bn",
            "tic.net_inflow_6ma_bn",
        ),
    ),
    (
        "macro",
        (
            "gdp.qoq_saar_last",
            "gdp.contrib_inventories_pp",
            "gdp.contrib_equipment_pp",
            "cpi.yoy",
            "core_pce.yoy",
            "fed.target_lower",
            "fed.target_upper",
            "tariff.gdp_impact_min",
            "tariff.gdp_impact_max",
            "tariff.inflation_impact_min",
            "tariff.inflation_impact_max",
        ),
    ),
)

#: Figures the bundled templates quote (every one is in the key-figures table); a figures document
#: without one of these cannot be rendered.
REQUIRED_FIGURES = tuple(key for _group, keys in KEY_FIGURE_GROUPS for key in keys)


def direction(value: float | None, decimals: int) -> str:
    """Return "up", "down" or "flat" for a change as printed with ``decimals`` places ("na" if missing)."""
    if is_missing(value):
        return NA
    rounded = round_half_up(float(value), decimals)  # type: ignore[arg-type]
    return UP if rounded > 0 else DOWN if rounded < 0 else FLAT


def comparison(value: float | None, reference: float | None, decimals: int) -> str:
    """Return "above", "below" or "level": ``value`` against ``reference``, both as printed."""
    if is_missing(value) or is_missing(reference):
        return NA
    printed = round_half_up(float(value), decimals)  # type: ignore[arg-type]
    printed_reference = round_half_up(float(reference), decimals)  # type: ignore[arg-type]
    return ABOVE if printed > printed_reference else BELOW if printed < printed_reference else LEVEL


def position(value: float | None, low: float | None, high: float | None, decimals: int) -> str:
    """Return "above", "within" or "below": where ``value`` sits against the range [low, high]."""
    if is_missing(value) or is_missing(low) or is_missing(high):
        return NA
    if comparison(value, high, decimals) == ABOVE:
        return ABOVE
    if comparison(value, low, decimals) == BELOW:
        return BELOW
    return "within"


def say(state: str, /, **words: str) -> str:
    """Return the wording a template gives for ``state``; a state without wording is a template bug.

    ``na`` (a figure is missing) defaults to an empty string.
    """
    if state in words:
        return words[state]
    if state == NA:
        return ""
    raise TemplateError(f"no wording for state {state!r} (given: {', '.join(sorted(words))})")


def _value(figures: Mapping[str, Mapping[str, Any]], key: str) -> float | None:
    figure = figures.get(key)
    if figure is None:
        return None
    value = figure.get("value")
    return None if is_missing(value) else float(value)


def _difference(a: float | None, b: float | None, scale: float = 1.0, decimals: int = 2) -> float | None:
    """Return (a - b) * scale from a and b *as printed* (``decimals`` places), so the page adds up."""
    if a is None or b is None:
        return None
    return float(round_half_up(a, decimals) - round_half_up(b, decimals)) * scale


def derive_values(figures: Mapping[str, Mapping[str, Any]]) -> dict[str, float | None]:
    """Return values computed from figures for the prose (bp, pp, $bn as the key says); None if missing."""
    value = {key: _value(figures, key) for key in (*REQUIRED_FIGURES, *OPTIONAL_FIGURES)}
    lower, upper = value["fed.target_lower"], value["fed.target_upper"]
    midpoint = None if lower is None or upper is None else (lower + upper) / 2
    inventories, equipment = value["gdp.contrib_inventories_pp"], value["gdp.contrib_equipment_pp"]
    interest = value["interest.monthly_avg_bn"]
    return {
        # distance of the 10y yield from its 3-month high and low, bp
        "ust10y.from_high_bp": _difference(value["ust10y.last"], value["ust10y.high_3m"], 100),
        "ust10y.from_low_bp": _difference(value["ust10y.last"], value["ust10y.low_3m"], 100),
        # term premium against its averages, bp
        "tp10.vs_avg_2y_bp": _difference(value["tp10.last"], value["tp10.avg_2y"], 100),
        "tp10.avg_2y_vs_pre_gfc_bp": _difference(value["tp10.avg_2y"], value["tp10.avg_pre_gfc"], 100),
        # hedged 10y UST minus the local 10y yield, bp
        "hedged10y.jpy_vs_jgb_bp": _difference(value["hedged10y.jpy"], value["jgb10y.last"], 100),
        "hedged10y.eur_vs_bund_bp": _difference(value["hedged10y.eur"], value["bund10y.last"], 100),
        # foreign holdings below their record, $bn (0 at a record)
        "tga.vs_assumption_bn": _difference(value["tga.last_bn"], value["refunding.tga_assumption_bn"], 1, 0),
        "refunding.next_vs_current_bn": _difference(
            value["refunding.net_borrowing_next_q_bn"], value["refunding.net_borrowing_current_q_bn"], 1, 0
        ),
        "interest.annualised_bn": None if interest is None else interest * 12,
        "gdp.contrib_inv_eq_pp": None
        if inventories is None or equipment is None
        else float(round_half_up(inventories, 2) + round_half_up(equipment, 2)),
        "fed.target_mid": midpoint,
        # policy-rate midpoint minus core PCE inflation, pp
        "fed.real_mid_pp": _difference(midpoint, value["core_pce.yoy"], 1, 2),
    }


def compute_signals(
    figures: Mapping[str, Mapping[str, Any]],
    target_low: float | None = None,
    target_high: float | None = None,
) -> dict[str, str]:
    """Return the state behind every direction word in the prose, decided on printed values."""
    value = {key: _value(figures, key) for key in (*REQUIRED_FIGURES, *OPTIONAL_FIGURES)}
    derived = derive_values(figures)
    return {
        "ust10y_1w": direction(value["ust10y.change_1w_bp"], 0),
        "ust10y_4w": direction(value["ust10y.change_4w_bp"], 0),
        "ust10y_vs_high": comparison(value["ust10y.last"], value["ust10y.high_3m"], 2),
        "ust10y_vs_low": comparison(value["ust10y.last"], value["ust10y.low_3m"], 2),
        "ust10y_vs_target": position(value["ust10y.last"], target_low, target_high, 2),
        "curve_10y2y": direction(value["spread_10y2y.last_bp"], 0),
        "curve_10y3m": direction(value["spread_10y3m.last_bp"], 0),
        "spread_10y2y_4w": direction(value["spread_10y2y.change_4w_bp"], 0),
        "tp_vs_avg_2y": comparison(value["tp10.last"], value["tp10.avg_2y"], 2),
        "tp_avg_2y_vs_pre_gfc": comparison(value["tp10.avg_2y"], value["tp10.avg_pre_gfc"], 2),
        "bills_flow_vs_stock": comparison(
            value["bills.share_net_issuance_12m"], value["bills.share_outstanding"], 1
        ),
        "tga_vs_assumption": comparison(value["tga.last_bn"], value["refunding.tga_assumption_bn"], 0),
        "borrowing_current": direction(value["refunding.net_borrowing_current_q_bn"], 0),
        "borrowing_next": direction(value["refunding.net_borrowing_next_q_bn"], 0),
        "borrowing_next_vs_current": comparison(
            value["refunding.net_borrowing_next_q_bn"], value["refunding.net_borrowing_current_q_bn"], 0
        ),
        "hedged_jpy_vs_jgb": comparison(value["hedged10y.jpy"], value["jgb10y.last"], 2),
        "hedged_eur_vs_bund": comparison(value["hedged10y.eur"], value["bund10y.last"], 2),
        "hedge_jpy_vs_eur": comparison(value["hedge_cost.jpy_3m"], value["hedge_cost.eur_3m"], 2),
        # "level" means the latest month is the record (as printed, in $bn)
        "foreign_vs_record": comparison(
            value["foreign_holdings.total_bn"], value["foreign_holdings.record_bn"], 0
        ),
        "tic_flow": direction(value["tic.net_inflow_6ma_bn"], 0),
        "gdp": direction(value["gdp.qoq_saar_last"], 1),
        "inventories": direction(value["gdp.contrib_inventories_pp"], 2),
        "equipment": direction(value["gdp.contrib_equipment_pp"], 2),
        "inv_eq": direction(derived["gdp.contrib_inv_eq_pp"], 2),
        "real_policy": direction(derived["fed.real_mid_pp"], 2),
        "core_pce_vs_cpi": comparison(value["core_pce.yoy"], value["cpi.yoy"], 1),
    }


@dataclass(frozen=True)
class ExhibitItem:
    """One exhibit as the note shows it: number, bilingual title, unit and source, and its SVG file."""

    id: str
    title_zh: str
    title_en: str
    unit_zh: str
    unit_en: str
    source_zh: str
    source_en: str
    path: Path

    @property
    def number(self) -> int:
        """Return the exhibit's number: 7 for E07."""
        return int(self.id.lstrip("Ee"))


EXHIBIT_FIELDS = ("id", "title_zh", "title_en", "unit_zh", "unit_en", "source_zh", "source_en")


def coerce_exhibits(items: Iterable[Any], paths: Mapping[str, Path] | None = None) -> tuple[ExhibitItem, ...]:
    """Return exhibits sorted by number from dicts or objects with the exhibit fields.

    ``paths`` (id → SVG file, as ``charts.render_all`` returns) supplies the file when an item has no
    ``path``; so ``coerce_exhibits(EXHIBITS.values(), render_all(...))`` works directly.
    """
    exhibits = []
    for item in items:
        get = item.get if isinstance(item, Mapping) else lambda name, obj=item: getattr(obj, name, None)
        fields = {name: get(name) for name in EXHIBIT_FIELDS}
        missing = [name for name, found in fields.items() if found is None]
        if missing:
            raise TemplateError(f"exhibit {fields['id'] or item!r} lacks {', '.join(missing)}")
        path = get("path") or (paths or {}).get(fields["id"])
        if path is None:
            raise TemplateError(f"exhibit {fields['id']} has no SVG file", hint="render the charts first")
        exhibits.append(ExhibitItem(**{name: str(found) for name, found in fields.items()}, path=Path(path)))
    return tuple(sorted(exhibits, key=lambda exhibit: exhibit.number))


@dataclass(frozen=True)
class StaleItem:
    """A series flagged stale by the build: key, last observation date, reason."""

    key: str
    last_date: date | None = None
    problem: str = ""


def coerce_stale(items: Iterable[Any]) -> tuple[StaleItem, ...]:
    """Return stale series from strings or objects with ``key`` (and ``last_date``, ``problem``)."""
    stale = []
    for item in items:
        if isinstance(item, str):
            stale.append(StaleItem(item))
        else:
            stale.append(
                StaleItem(item.key, getattr(item, "last_date", None), getattr(item, "problem", "") or "")
            )
    return tuple(sorted(stale, key=lambda entry: entry.key))


@dataclass(frozen=True)
class NoteInputs:
    """Everything a note is rendered from (the same inputs give the same bytes)."""

    as_of: date
    figures: Mapping[str, Mapping[str, Any]]
    exhibits: tuple[ExhibitItem, ...]
    views: Any  # generator.views.Views
    demo: bool = False
    stale: tuple[StaleItem, ...] = field(default_factory=tuple)
    logo: str | None = None  #: an image file in the template overlay, shown in the title block

    @classmethod
    def from_document(
        cls,
        figures_doc: Mapping[str, Any],
        exhibits: Iterable[Any],
        views: Any,
        *,
        demo: bool = False,
        stale: Iterable[Any] = (),
        as_of: date | None = None,
        logo: str | None = None,
    ) -> NoteInputs:
        """Return inputs from a figures.json document (its ``as_of`` unless one is given)."""
        if "figures" not in figures_doc:
            raise TemplateError("figures document has no 'figures' mapping")
        doc_as_of = figures_doc.get("as_of")
        if as_of is None:
            if not doc_as_of:
                raise TemplateError("figures document has no as_of date")
            as_of = date.fromisoformat(str(doc_as_of)[:10])
        return cls(
            as_of=as_of,
            figures=figures_doc["figures"],
            exhibits=coerce_exhibits(exhibits),
            views=views,
            demo=demo,
            stale=coerce_stale(stale),
            logo=logo,
        )

    def missing_figures(self) -> list[str]:
        """Return required figure keys absent from the document."""
        return [key for key in REQUIRED_FIGURES if key not in self.figures]


def quarter_of(day: date | str) -> str:
    """Return the quarter holding ``day`` as "2025Q1"."""
    day = date.fromisoformat(day[:10]) if isinstance(day, str) else day
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_after(quarter: str) -> str:
    """Return the quarter after "2025Q4": "2026Q1"."""
    year, number = int(quarter[:4]), int(quarter[-1])
    return f"{year + 1}Q1" if number == 4 else f"{year}Q{number + 1}"


def decimals_for(key: str, unit: str) -> int:
    """Return the decimals a figure is printed with, from its key or unit."""
    return DECIMALS_BY_KEY.get(key, DECIMALS_BY_UNIT.get(unit, 2))


def chart_folders(exhibits: Sequence[ExhibitItem]) -> list[Path]:
    """Return the distinct folders holding the exhibits' SVG files (the only other readable places)."""
    return sorted({exhibit.path.resolve().parent for exhibit in exhibits})
