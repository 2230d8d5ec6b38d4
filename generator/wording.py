"""Choosing words from figures: every data-dependent word of the note, decided here and named.

figures.json entries → :class:`Fact` per key → :func:`evaluate_claims` (named true/false statements),
:func:`compute_signals` (direction states: up/down/flat, above/below/level) and :func:`derive_values`
(differences and sums the prose prints). A template never judges a number itself: it picks the words
for a claim (``{% if c.bills_fund_most_net_issuance %}``) or a signal (``say(s.ust10y_1w, up="rose",
…)``).

Rules every entry here follows:

- A claim's condition is the plain meaning of its words: "most" is more than half (as printed), "rose"
  / "fell" compare two printed values over the window the sentence states, "on hold" means an FOMC
  decision has left the target range unchanged since its last change, "a record" means the highest
  value of the whole series.
- Decisions are made on values *as printed* (after rounding), so a change that prints as "0 bp" is
  flat and a share that prints as "50.0%" is not "most".
- An unavailable figure (absent, ``value: null``) makes every claim and signal resting on it unknown
  (None / "na"); the template then leaves the sentence out or words it without the number.
- Figures added or subtracted must share one period (:func:`same_period_sum`): a 2025Q1 inventories
  contribution is never added to a 2024Q4 equipment contribution.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from generator.errors import TemplateError
from generator.formatting import is_missing, round_half_up, stated_decimals
from generator.publication import quarter_of

UP, DOWN, FLAT = "up", "down", "flat"
ABOVE, BELOW, LEVEL = "above", "below", "level"
NA = "na"

#: Decimals shown per unit (the key-figures table and ``fmt``); a few keys override them.
DECIMALS_BY_UNIT = {"%": 2, "bp": 0, "$bn": 0, "pp": 2, "months": 0, "count": 0}
DECIMALS_BY_KEY = {
    "bills.share_outstanding": 1,
    "bills.share_outstanding_12m_ago": 1,
    "bills.share_net_issuance_12m": 1,
    "mmf.treasury_share": 1,
    "mmf.treasury_share_6m_ago": 1,
    "gdp.qoq_saar_last": 1,
    "cpi.yoy": 1,
    "core_pce.yoy": 1,
}
#: figures printed with the decimals their source states (at most :data:`MAX_STATED_DECIMALS`): PIIE
#: writes "2 percent" and "20 basis points", which "-2.00%" would dress up as a finer estimate
STATED_PRECISION_KEYS = frozenset(
    f"tariff.{measure}_{end}" for measure in ("gdp_impact", "inflation_impact") for end in ("min", "max")
)
MAX_STATED_DECIMALS = 2

#: the policy-rate gap to core PCE is printed with core PCE's one decimal (pp), and decided at that precision
REAL_POLICY_GAP_DECIMALS = 1
#: a figure dated more than this many days before the as-of date is older than the note's week:
#: the prose prints its period ("CPI, Jan 2025")
WEEK_DAYS = 7


def decimals_for(key: str, unit: str, value: float | None = None) -> int:
    """Return the decimals a figure is printed with: from its key or unit, or, for a figure quoted as
    its source states it, the fewest that give ``value`` exactly (-2 → 0, 0.2 → 1, 0.42 → 2)."""
    if key in STATED_PRECISION_KEYS and value is not None and not is_missing(value):
        return stated_decimals(float(value), MAX_STATED_DECIMALS)
    return DECIMALS_BY_KEY.get(key, DECIMALS_BY_UNIT.get(unit, 2))


def is_signed(key: str) -> bool:
    """True for the figures printed with their sign, as the text prints them: spreads and changes in bp
    or pp (not a count such as ``fed.decisions_since_last_change``)."""
    measure = key.rsplit(".", 1)[-1]
    return key.startswith("spread_") or ("change" in measure and measure.endswith(("_bp", "_pp")))


# --- facts: one figure as the wording sees it -------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One figure: value (None when unavailable), observation date, period, unit and why it is missing."""

    key: str
    value: float | None
    date: date | None
    period: str | None  #: "2025-02-07", "2025-01" or "2024Q4"; the date when figures.json has none
    unit: str = ""
    reason: str = ""

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def printed(self) -> float | None:
        """The value as the note prints it (rounded half away from zero), None if unavailable."""
        if self.value is None:
            return None
        return float(round_half_up(self.value, decimals_for(self.key, self.unit, self.value)))


#: the period kind of figures whose figures.json entry has no ``period`` (older documents): the period
#: is then derived from the observation date; every other figure's period is its date
FALLBACK_PERIOD_KIND = {
    "bills.": "month",
    "mmf.": "month",
    "interest.": "month",
    "foreign_holdings.": "month",
    "tic.": "month",
    "cpi.": "month",
    "core_pce.": "month",
    "gdp.": "quarter",
    "wam.": "quarter",
}


def fallback_period(key: str, day: date) -> str:
    """Return the period of figure ``key`` observed on ``day``: "2025-01", "2024Q4" or the ISO date."""
    kind = next((kind for prefix, kind in FALLBACK_PERIOD_KIND.items() if key.startswith(prefix)), "day")
    if kind == "month":
        return f"{day.year}-{day.month:02d}"
    if kind == "quarter":
        return quarter_of(day)
    return day.isoformat()


def fact_from_entry(key: str, entry: Mapping[str, Any] | None) -> Fact:
    """Return the fact for a figures.json entry (None or a null value: unavailable)."""
    if entry is None:
        return Fact(key, None, None, None, reason="not in figures.json")
    value = entry.get("value")
    when = entry.get("date")
    day = date.fromisoformat(str(when)[:10]) if when else None
    period = entry.get("period") or (fallback_period(key, day) if day else None)
    return Fact(
        key,
        None if is_missing(value) else float(value),
        day,
        str(period) if period else None,
        str(entry.get("unit", "")),
        str(entry.get("reason") or ""),
    )


def facts_from(figures: Mapping[str, Mapping[str, Any]]) -> dict[str, Fact]:
    """Return a fact for every figure in a figures.json ``figures`` mapping."""
    return {key: fact_from_entry(key, entry) for key, entry in figures.items()}


class _Facts(dict):
    """Facts by key; a key the document lacks reads as an unavailable fact."""

    def __missing__(self, key: str) -> Fact:
        return Fact(key, None, None, None, reason="not in figures.json")


def _facts(figures: Mapping[str, Mapping[str, Any]]) -> _Facts:
    return _Facts(facts_from(figures))


def is_older_than_week(fact: Fact, as_of: date) -> bool:
    """True when the fact's observation is older than the note's week (more than 7 days before as-of)."""
    return fact.date is not None and fact.date < as_of - timedelta(days=WEEK_DAYS)


def rests_partly_on_older_data(entry: Mapping[str, Any], as_of: date) -> bool:
    """True when a figure combines inputs of the note's week with one older than it (a hedged yield:
    this week's Treasury yields and last month's foreign rate), so its period tag must not read as if
    the whole value were that old."""
    inputs = entry.get("inputs") or ()
    dates = [date.fromisoformat(str(item["date"])[:10]) for item in inputs if item.get("date")]
    return bool(dates) and max(dates) >= as_of - timedelta(days=WEEK_DAYS) > min(dates)


class PeriodMismatchError(ValueError):
    """Figures from different periods were about to be added up."""


def same_period_sum(*facts: Fact) -> float | None:
    """Return the sum of the facts' printed values; None if one is unavailable.

    Raises PeriodMismatchError when they refer to different periods.
    """
    if any(not fact.available for fact in facts):
        return None
    periods = {fact.period for fact in facts}
    if len(periods) > 1:
        names = ", ".join(f"{fact.key} ({fact.period})" for fact in facts)
        raise PeriodMismatchError(f"cannot add figures of different periods: {names}")
    printed = (round_half_up(fact.value, decimals_for(fact.key, fact.unit, fact.value)) for fact in facts)  # type: ignore[arg-type]
    return float(sum(printed))


# --- claims: named statements the prose may make ----------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A statement the prose may make, true or false for a set of figures.

    ``holds`` gets the as-of date and one fact per name in ``figures``, all available.
    """

    name: str
    figures: tuple[str, ...]
    holds: Callable[..., bool]
    meaning: str  #: the condition in words, as the note's reader would understand the sentence

    def __call__(self, facts: Mapping[str, Fact], as_of: date) -> bool | None:
        found = [facts[key] for key in self.figures]
        if any(not fact.available for fact in found):
            return None  # unknown: the template leaves the sentence out
        return bool(self.holds(as_of, *found))


def policy_rate_gap_pp(lower: Fact, upper: Fact, core_pce: Fact) -> float | None:
    """Return the target range's midpoint minus core PCE inflation, pp, from the exact values (None when
    one is unavailable): printed with core PCE's own one decimal, since a gap taken from the rounded rate
    would claim a precision it does not have."""
    if not (lower.available and upper.available and core_pce.available):
        return None
    return (lower.value + upper.value) / 2 - core_pce.value  # type: ignore[operator]


def _same_quarter(day: date | None, as_of: date) -> bool:
    return day is not None and quarter_of(day) == quarter_of(as_of)


CLAIMS: dict[str, Claim] = {
    claim.name: claim
    for claim in (
        Claim(
            "bills_fund_most_net_issuance",
            ("bills.share_net_issuance_12m",),
            lambda as_of, share: share.printed > 50,
            "bills were more than half of net marketable issuance over the past 12 months",
        ),
        Claim(
            "bills_fund_less_than_half",
            ("bills.share_net_issuance_12m",),
            lambda as_of, share: 0 <= share.printed < 50,
            "bills were between none and less than half of net marketable issuance over the past 12 months",
        ),
        Claim(
            "bills_fund_under_a_tenth",
            ("bills.share_net_issuance_12m",),
            lambda as_of, share: 0 <= share.printed < 10,
            "bills were under a tenth (not negative) of net marketable issuance over the past 12 months",
        ),
        Claim(
            "bills_paid_down_12m",
            ("bills.share_net_issuance_12m",),
            lambda as_of, share: share.printed < 0,
            "bills outstanding fell over the past 12 months while marketable debt grew",
        ),
        Claim(
            "bill_share_rose_12m",
            ("bills.share_outstanding", "bills.share_outstanding_12m_ago"),
            lambda as_of, now, before: now.printed > before.printed,
            "bills' share of marketable debt is higher than 12 months earlier (as printed)",
        ),
        Claim(
            "bill_share_fell_12m",
            ("bills.share_outstanding", "bills.share_outstanding_12m_ago"),
            lambda as_of, now, before: now.printed < before.printed,
            "bills' share of marketable debt is lower than 12 months earlier (as printed)",
        ),
        Claim(
            "mmf_treasury_share_rose_6m",
            ("mmf.treasury_share", "mmf.treasury_share_6m_ago"),
            lambda as_of, now, before: now.printed > before.printed,
            "money funds hold a larger share of their investments in Treasuries than 6 months earlier",
        ),
        Claim(
            "mmf_treasury_share_fell_6m",
            ("mmf.treasury_share", "mmf.treasury_share_6m_ago"),
            lambda as_of, now, before: now.printed < before.printed,
            "money funds hold a smaller share of their investments in Treasuries than 6 months earlier",
        ),
        Claim(
            "fed_on_hold",
            ("fed.decisions_since_last_change", "fed.target_last_change_bp"),
            lambda as_of, decisions, move: decisions.printed >= 1,
            "the FOMC has left the target range unchanged at one decision or more since its last change",
        ),
        Claim(
            "fed_moved_recently",
            ("fed.decisions_since_last_change", "fed.target_last_change_bp"),
            lambda as_of, decisions, move: decisions.printed == 0,
            "the last change of the target range came at the FOMC's latest decision (or after it)",
        ),
        Claim(
            "fed_last_move_was_a_cut",
            ("fed.target_last_change_bp",),
            lambda as_of, move: move.value < 0,
            "the last change of the target range lowered it",
        ),
        Claim(
            "policy_rate_above_core_pce",
            ("fed.target_lower", "fed.target_upper", "core_pce.yoy"),
            lambda as_of, lower, upper, core: direction(
                policy_rate_gap_pp(lower, upper, core), REAL_POLICY_GAP_DECIMALS
            )
            == UP,
            "the midpoint of the fed funds target range is above core PCE inflation (the gap as printed, "
            "0.1 pp): policy is restrictive, so cuts are what a slower fall in inflation would delay",
        ),
        Claim(
            "foreign_holdings_at_record",
            ("foreign_holdings.total_bn", "foreign_holdings.record_bn"),
            lambda as_of, total, record: total.printed >= record.printed,
            "the latest month is the highest of the whole published series (as printed, $bn)",
        ),
        Claim(
            "gdp_contributions_same_quarter",
            ("gdp.contrib_inventories_pp", "gdp.contrib_equipment_pp"),
            lambda as_of, inventories, equipment: inventories.period == equipment.period,
            "the inventories and equipment contributions refer to the same quarter",
        ),
        Claim(
            "gdp_contributions_of_gdp_quarter",
            ("gdp.qoq_saar_last", "gdp.contrib_inventories_pp", "gdp.contrib_equipment_pp"),
            lambda as_of, gdp, inventories, equipment: gdp.period == inventories.period == equipment.period,
            "GDP growth and both contributions refer to the same quarter",
        ),
        Claim(
            "refunding_statement_of_this_quarter",
            ("refunding.net_borrowing_current_q_bn",),
            lambda as_of, statement: statement.date is not None
            and quarter_of(statement.date) == quarter_of(as_of),
            "the latest refunding statement is for the quarter the note is written in",
        ),
        Claim(
            "borrowing_next_quarter_not_larger",
            ("refunding.net_borrowing_next_q_bn", "refunding.net_borrowing_current_q_bn"),
            lambda as_of, next_q, current: next_q.printed <= current.printed,
            "Treasury's estimate for next quarter's net borrowing is not above this quarter's",
        ),
    )
}


def evaluate_claims(
    figures: Mapping[str, Mapping[str, Any]],
    as_of: date,
    target_low: float | None = None,
    target_high: float | None = None,
) -> dict[str, bool | None]:
    """Return every claim's truth (None when a figure it rests on is unavailable)."""
    facts = _facts(figures)
    truth = {name: claim(facts, as_of) for name, claim in CLAIMS.items()}
    where = (
        position(facts["ust10y.last"].value, target_low, target_high, 2)
        if facts["ust10y.last"].available and target_low is not None and target_high is not None
        else None
    )
    for name, side in (("within", "within"), ("below", BELOW), ("above", ABOVE)):
        truth[f"ust10y_{name}_target"] = None if where is None else where == side
    truth["tariff_scenarios_on_file"] = any(
        facts[key].available
        for key in (
            "tariff.gdp_impact_min",
            "tariff.gdp_impact_max",
            "tariff.inflation_impact_min",
            "tariff.inflation_impact_max",
        )
    )
    truth["refunding_statement_on_file"] = (
        facts["refunding.net_borrowing_current_q_bn"].available
        or facts["refunding.net_borrowing_next_q_bn"].available
    )
    return truth


#: claims evaluate_claims adds that need no figure of their own (named here so views can cite them)
EXTRA_CLAIMS = {
    "ust10y_within_target": "the 10-year yield is inside the desk's target range (views.yaml), as printed",
    "ust10y_below_target": "the 10-year yield is below the floor of the desk's target range, as printed",
    "ust10y_above_target": "the 10-year yield is above the top of the desk's target range, as printed",
    "tariff_scenarios_on_file": "at least one published tariff scenario is on file as of the note's date",
    "refunding_statement_on_file": "a borrowing estimate of a refunding of the past hundred days is on file",
}


def claim_meanings() -> dict[str, str]:
    """Return every claim name with its condition in words (for views `conditions:` and the docs)."""
    return {**{name: claim.meaning for name, claim in CLAIMS.items()}, **EXTRA_CLAIMS}


# --- signals: direction states decided on printed values --------------------------------------------


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


def target_edge(value: float | None, low: float | None, high: float | None, decimals: int) -> str:
    """Return "floor" or "top" when ``value`` as printed equals that end of [low, high], "inside" when it
    lies strictly between them, else what :func:`position` says ("above", "below", ``na``): a yield on
    the floor is in the range, but "inside" it would overstate the room it has."""
    where = position(value, low, high, decimals)
    if where != "within":
        return where
    if comparison(value, low, decimals) == LEVEL:
        return "floor"
    if comparison(value, high, decimals) == LEVEL:
        return "top"
    return "inside"


def say(state: str, /, **words: str) -> str:
    """Return the wording a template gives for ``state``; a state without wording is a template bug.

    ``na`` (a figure is missing) defaults to an empty string.
    """
    if state in words:
        return words[state]
    if state == NA:
        return ""
    raise TemplateError(f"no wording for state {state!r} (given: {', '.join(sorted(words))})")


def _difference(a: Fact, b: Fact, scale: float = 1.0, decimals: int = 2) -> float | None:
    """Return (a - b) * scale from a and b *as printed* (``decimals`` places), so the page adds up."""
    if not (a.available and b.available):
        return None
    return float(round_half_up(a.value, decimals) - round_half_up(b.value, decimals)) * scale  # type: ignore[arg-type]


#: decimals of $bn as each edition prints them: to the billion in English, to the 亿 ($0.1bn) in Chinese
USD_BN_DECIMALS = {"en": 0, "zh": 1}


def derive_values(figures: Mapping[str, Mapping[str, Any]], lang: str = "en") -> dict[str, float | None]:
    """Return values computed from figures for the prose (bp, pp, $bn as the key says); None if missing.

    A difference of $bn amounts is taken from the amounts as ``lang``'s edition prints them, so that
    each edition's page adds up (8500亿 - 5491亿 = 3009亿; $850bn - $549bn = $301bn).
    """
    usd = USD_BN_DECIMALS[lang]
    fact = _facts(figures)
    lower, upper = fact["fed.target_lower"], fact["fed.target_upper"]
    midpoint = (lower.value + upper.value) / 2 if lower.available and upper.available else None  # type: ignore[operator]
    interest = fact["interest.monthly_avg_bn"]
    try:
        inventories_and_equipment = same_period_sum(
            fact["gdp.contrib_inventories_pp"], fact["gdp.contrib_equipment_pp"]
        )
    except PeriodMismatchError:
        inventories_and_equipment = None  # the prose gives each contribution with its own quarter
    summed = figures.get("gdp.contrib_inventories_equipment_pp")
    if summed is not None and summed.get("value") is None:
        inventories_and_equipment = None  # the figures stage refused the sum (e.g. two releases of a quarter)
    return {
        # distance of the 10y yield from its 3-month high and low, bp
        "ust10y.from_high_bp": _difference(fact["ust10y.last"], fact["ust10y.high_3m"], 100),
        "ust10y.from_low_bp": _difference(fact["ust10y.last"], fact["ust10y.low_3m"], 100),
        # term premium against its averages, bp
        "tp10.vs_avg_2y_bp": _difference(fact["tp10.last"], fact["tp10.avg_2y"], 100),
        "tp10.avg_2y_vs_pre_gfc_bp": _difference(fact["tp10.avg_2y"], fact["tp10.avg_pre_gfc"], 100),
        # hedged 10y UST minus the local 10y yield, bp
        "hedged10y.jpy_vs_jgb_bp": _difference(fact["hedged10y.jpy"], fact["jgb10y.last"], 100),
        "hedged10y.eur_vs_bund_bp": _difference(fact["hedged10y.eur"], fact["bund10y.last"], 100),
        "tga.vs_assumption_bn": _difference(fact["tga.last_bn"], fact["refunding.tga_assumption_bn"], 1, usd),
        "refunding.next_vs_current_bn": _difference(
            fact["refunding.net_borrowing_next_q_bn"], fact["refunding.net_borrowing_current_q_bn"], 1, usd
        ),
        "interest.annualised_bn": None if interest.value is None else interest.value * 12,
        # inventories + equipment contributions, pp; only when both are of the same quarter
        "gdp.contrib_inv_eq_pp": inventories_and_equipment,
        "fed.target_mid": midpoint,
        # policy-rate midpoint minus core PCE, pp (as the claim policy_rate_above_core_pce reads it)
        "fed.real_mid_pp": policy_rate_gap_pp(lower, upper, fact["core_pce.yoy"]),
        # change of bills' share of the debt over 12 months and of money funds' Treasury share over 6, pp
        "bills.share_change_12m_pp": _difference(
            fact["bills.share_outstanding"], fact["bills.share_outstanding_12m_ago"], 1, 1
        ),
        "mmf.treasury_share_change_6m_pp": _difference(
            fact["mmf.treasury_share"], fact["mmf.treasury_share_6m_ago"], 1, 1
        ),
    }


def compute_signals(
    figures: Mapping[str, Mapping[str, Any]],
    target_low: float | None = None,
    target_high: float | None = None,
) -> dict[str, str]:
    """Return the state behind every direction word in the prose, decided on printed values.

    Windows: ``ust10y_1w`` / ``_4w`` the 1- and 4-week changes of figures.json; ``spread_10y2y_4w``
    the 4-week change; every other signal compares two figures of the same date or a level with zero.
    """
    fact = _facts(figures)
    value = {key: item.value for key, item in fact.items()}
    value = _Values(value)
    derived = derive_values(figures)
    return {
        "ust10y_1w": direction(value["ust10y.change_1w_bp"], 0),
        "ust10y_4w": direction(value["ust10y.change_4w_bp"], 0),
        "ust10y_vs_high": comparison(value["ust10y.last"], value["ust10y.high_3m"], 2),
        "ust10y_vs_low": comparison(value["ust10y.last"], value["ust10y.low_3m"], 2),
        "ust10y_vs_target": position(value["ust10y.last"], target_low, target_high, 2),
        "ust10y_target_edge": target_edge(value["ust10y.last"], target_low, target_high, 2),
        "curve_10y2y": direction(value["spread_10y2y.last_bp"], 0),
        "curve_10y3m": direction(value["spread_10y3m.last_bp"], 0),
        "spread_10y2y_4w": direction(value["spread_10y2y.change_4w_bp"], 0),
        "tp_vs_avg_2y": comparison(value["tp10.last"], value["tp10.avg_2y"], 2),
        "tp_avg_2y_vs_pre_gfc": comparison(value["tp10.avg_2y"], value["tp10.avg_pre_gfc"], 2),
        "bills_flow_vs_stock": comparison(
            value["bills.share_net_issuance_12m"], value["bills.share_outstanding"], 1
        ),
        "bill_share_12m": direction(derived["bills.share_change_12m_pp"], 1),
        "mmf_share_6m": direction(derived["mmf.treasury_share_change_6m_pp"], 1),
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
        "real_policy": direction(derived["fed.real_mid_pp"], REAL_POLICY_GAP_DECIMALS),
        "core_pce_vs_cpi": comparison(value["core_pce.yoy"], value["cpi.yoy"], 1),
        "fed_last_move": direction(value["fed.target_last_change_bp"], 0),
    }


class _Values(dict):
    def __missing__(self, key: str) -> None:
        return None
