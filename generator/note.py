"""The note's content before layout: figures, exhibits, views and the key-figures table.

figures.json document + exhibits + views → :class:`NoteInputs` → one Jinja context per language
(:func:`generator.render.template_context`). Which words the prose uses for the figures (claims,
direction signals, derived differences) is decided in :mod:`generator.wording`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import TemplateError
from generator.wording import (  # noqa: F401  (re-exported: the note's wording lives in generator.wording)
    ABOVE,
    BELOW,
    DECIMALS_BY_KEY,
    DECIMALS_BY_UNIT,
    DOWN,
    FLAT,
    LEVEL,
    NA,
    UP,
    comparison,
    compute_signals,
    decimals_for,
    derive_values,
    direction,
    evaluate_claims,
    is_signed,
    position,
    say,
)

if TYPE_CHECKING:
    from generator.demo_inputs import DemoInput

#: Optional figures: used when present, the sentence that needs them is left out otherwise.
OPTIONAL_FIGURES = {
    "spread_10y2y.change_4w_bp": "change of the 10y-2y spread over 4 weeks (bp): widened / narrowed",
    "refunding.tga_assumption_next_q_bn": "cash balance assumed for the end of the next quarter ($bn)",
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
            "spread_10y2y.change_4w_bp",
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
            "bills.share_outstanding_12m_ago",
            "bills.share_net_issuance_12m",
            "wam.months",
            "mmf.treasury_share",
            "mmf.treasury_share_6m_ago",
            "tga.last_bn",
            "refunding.net_borrowing_current_q_bn",
            "refunding.net_borrowing_next_q_bn",
            "refunding.tga_assumption_bn",
            "refunding.tga_assumption_next_q_bn",
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
            "fed.target_last_change_bp",
            "tariff.gdp_impact_min",
            "tariff.gdp_impact_max",
            "tariff.inflation_impact_min",
            "tariff.inflation_impact_max",
        ),
    ),
)

#: the figures a figures document must hold: the key-figures table's, but the optional ones (listed there
#: when present, like the sentences that quote them)
REQUIRED_FIGURES = tuple(
    key for _group, keys in KEY_FIGURE_GROUPS for key in keys if key not in OPTIONAL_FIGURES
)


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
    series: tuple[str, ...] = ()  #: catalogue series the exhibit plots (their endpoints become links)

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
        series = tuple(str(key) for key in (get("series") or ()))
        texts = {name: str(found) for name, found in fields.items()}
        exhibits.append(ExhibitItem(**texts, path=Path(path), series=series))
    return tuple(sorted(exhibits, key=lambda exhibit: exhibit.number))


@dataclass(frozen=True)
class StaleItem:
    """A series flagged stale by the build: key, last observation, when it was published and when the
    next value was due, and its name in both languages (the catalogue's labels; the key without one)."""

    key: str
    last_date: date | None = None
    problem: str = ""
    last_published: date | None = None
    expected_by: date | None = None
    label_zh: str = ""
    label_en: str = ""

    def label(self, lang: str) -> str:
        return (self.label_zh if lang == "zh" else self.label_en) or self.key


def coerce_stale(items: Iterable[Any]) -> tuple[StaleItem, ...]:
    """Return stale series from strings or objects with ``key`` (and ``last_date``, ``problem``,
    ``last_published``, ``expected_by``: a :class:`~generator.store.SeriesStatus`), named as the
    catalogue names them."""
    from generator.catalogue import CATALOGUE

    stale = []
    for item in items:
        key = item if isinstance(item, str) else item.key
        spec = CATALOGUE.get(key)
        names = {"label_zh": spec.label_zh, "label_en": spec.label_en} if spec is not None else {}
        if isinstance(item, str):
            stale.append(StaleItem(key, **names))
            continue
        stale.append(
            StaleItem(
                key,
                getattr(item, "last_date", None),
                getattr(item, "problem", "") or "",
                getattr(item, "last_published", None),
                getattr(item, "expected_by", None),
                **names,
            )
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
    demo_inputs: tuple[DemoInput, ...] = ()  #: demo inputs in a non-demo build (sample analysts, demo rows)

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
        demo_inputs: Iterable[DemoInput] = (),
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
            demo_inputs=tuple(demo_inputs),
        )

    def missing_figures(self) -> list[str]:
        """Return required figure keys absent from the document."""
        return [key for key in REQUIRED_FIGURES if key not in self.figures]


def chart_folders(exhibits: Sequence[ExhibitItem]) -> list[Path]:
    """Return the distinct folders holding the exhibits' SVG files (the only other readable places)."""
    return sorted({exhibit.path.resolve().parent for exhibit in exhibits})
