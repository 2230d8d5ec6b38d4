"""Jinja templates → HTML → note.pdf (WeasyPrint).

Stages: :func:`template_context` (note inputs → one context per language) → :func:`render_html`
(templates, an analyst's overlay searched first) → :func:`render_pdf` (WeasyPrint, through a URL
fetcher that serves only the template and chart folders). :func:`write_note` chains them.

Templates (see templates/README.md): ``document.html`` wraps the editions; ``note.html`` (the file an
analyst overrides) extends ``base.html``, whose named blocks are the public surface. Every number is
printed through the filters below, which call :mod:`generator.formatting` and nothing else.

The same inputs give the same bytes: the PDF's dates come from the as-of date, its identifier from a
hash of the HTML, and nothing reads the clock.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import jinja2
import yaml
from markupsafe import Markup

from generator import (
    contents_pages,
    font_subsets,
    formatting,
    note_cache,
    pdf_objects,
    shared_drawings,
    source_links,
)
from generator.atomic import write_atomic
from generator.catalogue import PUBLISHER_NAMES
from generator.errors import TemplateError
from generator.figure_periods import older_data_note, printed_period
from generator.note import KEY_FIGURE_GROUPS, OPTIONAL_FIGURES, NoteInputs, chart_folders
from generator.publication import data_as_of, quarter_after, quarter_of
from generator.store import revised_file_date
from generator.template_loader import FolderLoader
from generator.views import Views, load_views
from generator.wording import (
    compute_signals,
    decimals_for,
    derive_values,
    evaluate_claims,
    fact_from_entry,
    is_older_than_week,
    is_signed,
    rests_partly_on_older_data,
    say,
)

if TYPE_CHECKING:
    from generator.demo_inputs import DemoInput

log = logging.getLogger(__name__)

BUNDLED_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
ENTRY_TEMPLATE = "note.html"
DOCUMENT_TEMPLATE = "document.html"
LABELS = "labels.yaml"
LANG_TAGS = {"zh": "zh-CN", "en": "en"}
NBSP = "\u00a0"
ATTACHMENT_DESCRIPTIONS = {
    ".xlsx": "Data appendix: every exhibit's data and the sources (Excel)",
    ".json": "figures.json: every number the note quotes, with source and observation date",
}

# --- filters: the only way templates turn numbers into text --------------------------------------


def _keep_together(text: str, lang: str) -> str:
    """Return English text with the space before a unit made unbreakable ("84 bp" stays on one line)."""
    return text.replace(" ", NBSP) if lang == "en" else text


def make_filters(lang: str) -> dict[str, Callable[..., str]]:
    """Return the number and date filters bound to ``lang``."""

    def keep(text: str) -> str:
        return _keep_together(text, lang)

    def number(value: Any, decimals: int = 2, signed: bool = False) -> str:
        return formatting.format_number(value, decimals, lang, signed)

    def pct(value: Any, decimals: int = 2, signed: bool = False) -> str:
        return formatting.format_percent(value, lang, decimals, signed)

    def bp(value: Any, decimals: int = 0, signed: bool = False) -> str:
        return keep(formatting.format_bp(value, lang, decimals, signed))

    def pp(value: Any, decimals: int = 2, signed: bool = False) -> str:
        return keep(formatting.format_pp(value, lang, decimals, signed))

    def months(value: Any, decimals: int = 0) -> str:
        return keep(formatting.format_months(value, lang, decimals))

    def usd(value: Any, decimals: int | None = None, signed: bool = False) -> str:
        return keep(formatting.format_usd_bn(value, lang, decimals, signed))

    return {
        "number": number,
        "pct": pct,
        "bp": bp,
        "pp": pp,
        "months": months,
        "usd": usd,
        "date": lambda value: keep(formatting.format_date(value, lang)),
        "month": lambda value: keep(formatting.format_month(value, lang)),
        "quarter": lambda value: keep(formatting.format_quarter(value, lang)),
        "period": lambda value: keep(formatting.format_period(value, lang)),
        "keep_tail": lambda text: keep_tail(text, lang),
        "css_string": css_string,
        # a missing figure stays missing through abs (and then prints as n/a / 暂无)
        "abs": lambda value: None if formatting.is_missing(value) else abs(value),
    }


def keep_tail(text: Any, lang: str) -> Markup:
    """Return ``text`` as HTML whose last characters (zh) or two words (en) cannot be split by a line
    break, so no heading or label ends on a line of one character or one word.

    English joins the last two words with a no-break space. Chinese has no spaces to join, so its
    last characters go in a ``white-space: nowrap`` span (in English such a span makes WeasyPrint
    break the line earlier than it needs to, so it is used for Chinese only).
    """
    head, tail = formatting.split_unbreakable_tail(str(text), lang)
    if not tail:
        return Markup.escape(head)
    if lang == "en" or " " in tail:
        return Markup.escape(head) + Markup.escape(tail.replace(" ", NBSP))
    return Markup.escape(head) + Markup('<span class="keep">') + Markup.escape(tail) + Markup("</span>")


def css_string(text: str) -> Markup:
    """Return ``text`` as a quoted CSS string, safe inside <style> (no HTML escaping there)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ").replace("<", "\\3c ")
    return Markup(f'"{escaped}"')


# --- environment ----------------------------------------------------------------------------------


def template_dirs(overlay: Path | None) -> list[Path]:
    """Return the template search path: the analyst's overlay first, then the bundled templates."""
    if overlay is None:
        return [BUNDLED_TEMPLATES]
    if not overlay.is_dir():
        raise TemplateError("templates overlay folder not found", file=overlay, hint="check --templates")
    return [overlay.resolve(), BUNDLED_TEMPLATES]


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates shared by every environment of this process.

    A build renders each template in three environments (zh, en, the document) and the preview at
    every edit; compiling is most of the HTML's cost. Jinja keys an entry by template name and file
    and checks the SHA-1 of the source before using it, so an edited template is compiled again and
    an overlay file that shadows a bundled one is a different entry. Every environment of
    :func:`make_environment` has the same options, which the compiled code depends on.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored by Jinja when the source's checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def make_environment(overlay: Path | None, lang: str) -> jinja2.Environment:
    """Return a Jinja environment for ``lang``: overlay first, StrictUndefined, autoescaped HTML."""
    env = jinja2.Environment(
        loader=FolderLoader(template_dirs(overlay)),  # no template from outside these folders
        bytecode_cache=COMPILED,
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(make_filters(lang))
    return env


def load_labels(env: jinja2.Environment, lang: str) -> dict[str, Any]:
    """Return the fixed wording (headings, table heads) for ``lang`` from labels.yaml (overlay first)."""
    source, filename, _ = env.loader.get_source(env, LABELS)  # type: ignore[union-attr]
    try:
        labels = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise TemplateError(
            f"not valid YAML: {exc}", file=filename, line=mark.line + 1 if mark else None
        ) from exc
    if not isinstance(labels, dict) or lang not in labels:
        raise TemplateError(f"no '{lang}' section", file=filename)
    return labels[lang]


class _Namespace(dict):
    """A dict whose keys read as attributes in templates; a missing key is a template error."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _namespace(value: Any) -> Any:
    if isinstance(value, dict):
        return _Namespace({key: _namespace(item) for key, item in value.items()})
    return value


# --- context ----------------------------------------------------------------------------------------


def figure_source(figure: Mapping[str, Any], lang: str) -> str:
    """Return a figure's source in ``lang`` without web addresses (those become links).

    zh: ``source_zh``, else the English source with the publisher's name put into Chinese.
    """
    text = figure.get("source_zh") if lang == "zh" else None
    if not text:
        text = str(figure.get("source") or "")
        if lang == "zh":
            for names in sorted(PUBLISHER_NAMES.values(), key=lambda names: -len(names["en"])):
                if text.startswith(names["en"]):
                    text = names["zh"] + text[len(names["en"]) :]
                    break
    text = source_links.URL.sub("", text)
    return re.sub(r"\s*([,;，；])\s*(?=[,;，；]|$)", "", re.sub(r"\s{2,}", " ", text)).strip(" ,;，；")


def key_figure_period(key: str, figure: Mapping[str, Any], lang: str, as_of: date | None) -> tuple[str, str]:
    """Return a key figure's period as the table prints it (no break inside), and the note for the line
    below it (:func:`generator.figure_periods.printed_period`)."""
    period, note = printed_period(key, figure, lang, as_of)
    return period.replace(" ", NBSP), note


def key_figure_row(
    key: str, figure: Mapping[str, Any], lang: str, printed: str, as_of: date | None = None
) -> dict[str, Any]:
    """Return one row of the key-figures table: label, value as printed, period, source and its link."""
    missing = formatting.is_missing(figure.get("value"))
    links = source_links.figure_links(figure, lang)
    period, period_note = key_figure_period(key, figure, lang, as_of)
    return {
        "key": key,
        "label": figure.get(f"label_{lang}") or key,
        "value": formatting.NOT_AVAILABLE[lang] if missing else printed,
        "missing": missing,
        "period": period,
        "period_note": period_note,
        "source": figure_source(figure, lang),
        "url": links[0].url if links else "",
    }


def _one_line_per_reason(items: list[dict[str, str]], separator: str) -> list[dict[str, str]]:
    """Merge neighbouring unavailable figures with the same reason into one line (the four tariff-scenario
    bounds before any scenario is on file), their labels joined by ``separator``."""
    merged: list[dict[str, str]] = []
    for item in items:
        if merged and item["reason"] and merged[-1]["reason"] == item["reason"]:
            merged[-1] = {**merged[-1], "label": merged[-1]["label"] + separator + item["label"]}
        else:
            merged.append(item)
    return merged


def _older_yields_close(figures: Mapping[str, Mapping[str, Any]], close: date) -> date | None:
    """Return the day of the 10-year yield's close when it is older than ``close`` (the day's yields were
    not yet published: H.15 posts a day later, and the par curve on file may end earlier), else None."""
    entry = figures.get("ust10y.last") or {}
    if formatting.is_missing(entry.get("value")) or not entry.get("date"):
        return None
    day = date.fromisoformat(str(entry["date"]))
    return day if day < close else None


def template_context(inputs: NoteInputs, lang: str, env: jinja2.Environment) -> dict[str, Any]:
    """Return the Jinja variables for one language edition of the note."""
    figures = inputs.figures
    views: Views = inputs.views
    derived = derive_values(figures, lang)
    filters = env.filters

    def v(key: str) -> Any:
        """The value of figure ``key`` (or a derived value); undefined → a template error naming it."""
        if key in figures:
            value = figures[key].get("value")
            return None if value is None else float(value)
        if key in derived:
            return derived[key]
        return env.undefined(hint=f"figure {key!r} is not in figures.json", name=key)

    def figure(key: str) -> Any:
        if key not in figures:
            return env.undefined(hint=f"figure {key!r} is not in figures.json", name=key)
        return _namespace(dict(figures[key]))

    def has(*keys: str) -> bool:
        """True when every figure named is available (in figures.json with a value)."""
        return all(key in figures and not formatting.is_missing(figures[key].get("value")) for key in keys)

    def period(key: str) -> str:
        """The period figure ``key`` refers to, as text: 7 Feb 2025 / Jan 2025 / Q4 2024."""
        if key not in figures:
            return env.undefined(hint=f"figure {key!r} is not in figures.json", name=key)  # type: ignore[return-value]
        return filters["period"](fact_from_entry(key, figures[key]).period)

    def period_tag(key: str) -> str:
        """ " (Jan 2025)" / "（2025年1月）" when figure ``key`` is older than the note's week, else ""."""
        if key not in figures:
            return env.undefined(hint=f"figure {key!r} is not in figures.json", name=key)  # type: ignore[return-value]
        if not is_older_than_week(fact_from_entry(key, figures[key]), inputs.as_of):
            return ""
        if rests_partly_on_older_data(figures[key], inputs.as_of):
            return older_data_note(period(key), lang, lead=" ")
        return f"（{period(key)}）" if lang == "zh" else f" ({period(key)})"

    def revised_tag(key: str, within: bool = False) -> str:
        """ " (on data revised since)" / "（据其后修订的数据）" when figure ``key`` comes from a file holding
        only a later vintage than the note (its value may differ from what was published by the as-of day);
        ``within``: ", on data revised since" / "，据其后修订的数据", inside an open parenthesis."""
        if key not in figures:
            return env.undefined(hint=f"figure {key!r} is not in figures.json", name=key)  # type: ignore[return-value]
        if revised_file_date(figures[key].get("vintage")) is None:
            return ""
        if within:
            return "，据其后修订的数据" if lang == "zh" else ", on data revised since"
        return "（据其后修订的数据）" if lang == "zh" else " (on data revised since)"

    def published(key: str) -> str | None:
        """The latest publication day of figure ``key``'s inputs (ISO), None when figures.json has none."""
        days = [
            item.get("published")
            for item in figures.get(key, {}).get("inputs") or ()
            if item.get("published")
        ]
        return max(days) if days else None

    def release_tag(key: str, reference: str) -> str:
        """ " (estimate of 30 Jan 2025)" / "（2025年1月30日发布的估计）" when figure ``key`` comes from
        another release than figure ``reference`` (a later estimate of the quarter left one component out,
        so the note quotes the earlier one beside it); "" when they share a release or ``key`` is revised
        since."""
        if key not in figures:
            return env.undefined(hint=f"figure {key!r} is not in figures.json", name=key)  # type: ignore[return-value]
        day, other = published(key), published(reference)
        if revised_file_date(figures[key].get("vintage")) is not None or not day or not other or day == other:
            return ""
        when = filters["date"](day)
        return f"（{when}发布的估计）" if lang == "zh" else f" (estimate of {when})"

    def fmt(key: str, signed: bool = False, decimals: int | None = None) -> str:
        """Figure ``key`` formatted by its own unit (%, bp, $bn, pp, months)."""
        if key not in figures:
            return env.undefined(hint=f"figure {key!r} is not in figures.json", name=key)  # type: ignore[return-value]
        value, unit = figures[key].get("value"), figures[key].get("unit", "")
        places = decimals_for(key, unit, value) if decimals is None else decimals
        if unit == "$bn":
            return filters["usd"](value, signed=signed)
        if unit == "months":
            return filters["months"](value, places)
        name = {"%": "pct", "bp": "bp", "pp": "pp"}.get(unit, "number")
        return filters[name](value, places, signed=signed)

    separator = "、" if lang == "zh" else ", "

    def whose(key: str) -> str:
        """The countries figure ``key``'s inputs name ("Mexico" / "墨西哥"), "" when they name none."""
        names = [
            item.get("country_zh" if lang == "zh" else "country") for item in figures[key].get("inputs") or ()
        ]
        return separator.join(name for name in names if name)

    def fmt_range(low_key: str, high_key: str) -> str:
        """Two figures as a range ("-3.5% to -0.2%"), or the one value every case gives when they print
        the same (a lone scenario is not a range); each end names the countries that give it, when the
        figures record them ("0.2 pp (United States) to 0.3 pp (China)")."""
        low, high = fmt(low_key), fmt(high_key)
        if low_key not in figures or high_key not in figures:
            return low if low_key not in figures else high  # the undefined figure's template error
        low_who, high_who = whose(low_key), whose(high_key)
        if low == high:
            who = separator.join(dict.fromkeys(name for name in (low_who, high_who) if name))
            if lang == "zh":
                return f"{low}（{who + '，' if who else ''}各情景给出的唯一数值）"
            return f"{low} ({'for ' + who + ', ' if who else ''}the only value the scenarios give)"
        if lang == "zh":
            return (
                f"{low}{f'（{low_who}）' if low_who else ''}至{high}{f'（{high_who}）' if high_who else ''}"
            )
        return f"{low}{f' ({low_who})' if low_who else ''} to {high}{f' ({high_who})' if high_who else ''}"

    def fdate(key: str) -> str:
        """The observation date of figure ``key`` as a date string."""
        if key not in figures:
            return env.undefined(hint=f"figure {key!r} is not in figures.json", name=key)  # type: ignore[return-value]
        return figures[key].get("date")

    labels = load_labels(env, lang)
    refunding_date = figures.get("refunding.net_borrowing_current_q_bn", {}).get("date") or figures.get(
        "refunding.net_borrowing_next_q_bn", {}
    ).get("date")
    refunding_quarter = quarter_of(refunding_date or inputs.as_of)
    target = views.target_10y
    signals = compute_signals(figures, target.low, target.high)
    claims = evaluate_claims(figures, inputs.as_of, target.low, target.high)
    unavailable = _one_line_per_reason(
        [
            {
                "key": key,
                "label": entry.get(f"label_{lang}") or key,
                "reason": entry.get("reason_zh" if lang == "zh" else "reason") or "",
            }
            for key, entry in sorted(figures.items())
            if formatting.is_missing(entry.get("value"))
        ],
        "；" if lang == "zh" else "; ",
    )
    tariff_dates = [
        str(entry.get("date"))
        for key, entry in figures.items()
        if key.startswith("tariff.") and entry.get("date") and not formatting.is_missing(entry.get("value"))
    ]
    revised = [
        {"key": key, "label": entry.get(f"label_{lang}") or key, "file_date": file_date}
        for key, entry in sorted(figures.items())
        if (file_date := revised_file_date(entry.get("vintage")))
    ]
    key_figures = [
        {
            "group": group,
            "rows": [
                key_figure_row(key, figures[key], lang, fmt(key, signed=is_signed(key)), inputs.as_of)
                for key in keys
                if key in figures
            ],
        }
        for group, keys in KEY_FIGURE_GROUPS
    ]
    return {
        "lang": lang,
        "lang_tag": LANG_TAGS[lang],
        "as_of": inputs.as_of,
        "t": _namespace(labels),
        "view": _namespace(
            {
                "title": views.title(lang),
                "desk": views.desk(lang),
                "desk_zh": views.desk.zh,
                "desk_en": views.desk.en,
                "headline": views.headline(lang),
                "authors": [
                    {
                        "name": author.name(lang),
                        "role": author.role(lang) if author.role else "",
                        "licence": author.licence or "",
                    }
                    for author in views.authors
                ],
                "author_names": views.author_names(lang),
                "target_low": target.low,
                "target_high": target.high,
                "horizon": target.horizon(lang),
                "strategy": list(views.strategy(lang)),
                "risks": list(views.risks(lang)),
            }
        ),
        "v": v,
        "fmt": fmt,
        "is_signed": is_signed,
        "fmt_range": fmt_range,
        "figure": figure,
        "fdate": fdate,
        "has": has,
        "period": period,
        "period_tag": period_tag,
        "revised_tag": revised_tag,
        "release_tag": release_tag,
        "s": _namespace(signals),
        "c": _namespace(claims),
        "unavailable": unavailable,
        "revised": revised,
        "demo_inputs": inputs.demo_inputs,
        "tariff_published": max(tariff_dates) if tariff_dates else None,
        "say": say,
        "refunding_quarter": refunding_quarter,
        "refunding_next_quarter": quarter_after(refunding_quarter),
        "exhibits": inputs.exhibits,
        "shown_exhibits": {exhibit.id for exhibit in inputs.exhibits},
        "exhibit_links": lambda exhibit: source_links.series_links(
            getattr(exhibit, "series", ()), lang, inputs.as_of.year
        ),
        "exhibit_rows": [inputs.exhibits[index : index + 2] for index in range(0, len(inputs.exhibits), 2)],
        "key_figures": key_figures,
        "demo": inputs.demo,
        "logo": inputs.logo,
        "stale": inputs.stale,
        # the business day whose close the note shows
        "data_as_of": data_as_of(inputs.as_of),
        "yields_close": _older_yields_close(figures, data_as_of(inputs.as_of)),
        "optional_figures": OPTIONAL_FIGURES,
    }


# --- HTML -------------------------------------------------------------------------------------------


def _template_error(exc: Exception) -> TemplateError:
    """Return a TemplateError naming the template file, line and what was wrong."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return TemplateError(exc.message or str(exc), file=exc.filename or exc.name, line=exc.lineno)
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"template not found: {exc.name}", hint="check the overlay folder")
    filename, line = None, None
    traceback = exc.__traceback__
    while traceback is not None:  # the innermost template frame is where the name was used
        code = traceback.tb_frame.f_code
        if code.co_filename.endswith((".html", ".css", ".yaml")) or "<template>" in code.co_filename:
            filename, line = code.co_filename, traceback.tb_lineno
        traceback = traceback.tb_next
    message = str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        message = f"undefined name: {message}"
    return TemplateError(message, file=filename, line=line)


def _render(template: str, env: jinja2.Environment, variables: Mapping[str, Any]) -> str:
    try:
        return env.get_template(template).render(variables)
    except TemplateError as exc:
        located = _template_error(exc)
        raise TemplateError(exc.message, file=located.file, line=located.line) from exc
    except (jinja2.TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
        raise _template_error(exc) from exc


def _langs(lang: str | Sequence[str]) -> tuple[str, ...]:
    langs = tuple(part.strip() for part in lang.split(",")) if isinstance(lang, str) else tuple(lang)
    unknown = [item for item in langs if item not in LANG_TAGS]
    if not langs or unknown:
        raise TemplateError(f"unknown language {', '.join(unknown) or '(none)'}; use zh, en or zh,en")
    return langs


def render_edition(
    inputs: NoteInputs, lang: str, templates_overlay: Path | None = None, langs: Sequence[str] = ()
) -> Markup:
    """Return the HTML of one complete language edition (title block to disclaimer), no <html> wrapper.

    ``langs``: every edition in the document, so the contents can link to the others.
    """
    env = make_environment(templates_overlay, lang)
    variables = template_context(inputs, lang, env)
    variables["other_editions"] = [item for item in langs if item != lang]
    return Markup(_render(ENTRY_TEMPLATE, env, variables))


def render_html(
    inputs: NoteInputs, lang: str | Sequence[str] = ("zh", "en"), templates_overlay: Path | None = None
) -> str:
    """Return the note's HTML: one edition per language, in order ("zh,en" → Chinese then English)."""
    langs = _langs(lang)
    editions = [render_edition(inputs, item, templates_overlay, langs) for item in langs]
    env = make_environment(templates_overlay, langs[0])
    variables = template_context(inputs, langs[0], env)
    views: Views = inputs.views
    variables.update(
        editions=editions,
        langs=langs,
        meta={
            "title": " | ".join(
                f"{views.title(item)} {formatting.format_date(inputs.as_of, item)}" for item in langs
            ),
            "author": " / ".join(views.author_names(item) for item in langs),
            "subject": " / ".join(views.headline(item) for item in langs),
            "keywords": "US Treasuries, 美债, term premium, refunding",
            "desk": " | ".join(views.desk(item) for item in langs),
            "date": inputs.as_of.isoformat(),
        },
    )
    return _render(DOCUMENT_TEMPLATE, env, variables)


# --- PDF --------------------------------------------------------------------------------------------


def _file_path(url: str) -> Path:
    parts = urlsplit(url)
    return Path(unquote(parts.path)).resolve()


def make_url_fetcher(roots: Iterable[Path]) -> Any:
    """Return a WeasyPrint URL fetcher serving files under ``roots`` only; anything else stops the build."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    folders = [Path(root).resolve() for root in roots]

    class LocalFilesOnly(URLFetcher):
        """Serve files under the template and chart folders and refuse every other URL."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("file:"):
                raise FatalURLFetchingError(f"{url}: only files from the template and chart folders")
            path = _file_path(url)
            if not any(path.is_relative_to(folder) for folder in folders):
                raise FatalURLFetchingError(f"{url}: outside the template and chart folders")
            if not path.is_file():
                raise FatalURLFetchingError(f"{url}: file not found")
            return super().fetch(url, headers)

    return LocalFilesOnly()


_FILE_FOLDERS = re.compile(r"file://[^\"'\s)]*/")


def pdf_identifier(html: str) -> bytes:
    """Return the PDF file identifier: the first 16 bytes of the HTML's SHA-256, in hex.

    Folders in file:// URLs are left out of the hash: a build staged in a temporary folder must give
    the same bytes as the same build staged elsewhere.
    """
    portable = _FILE_FOLDERS.sub("file:///", html)
    return hashlib.sha256(portable.encode("utf-8")).hexdigest()[:32].encode("ascii")


def layout_document(html: str, base_dir: Path, roots: Iterable[Path] = ()) -> Any:
    """Return the laid-out WeasyPrint document (pages, bookmarks) for ``html``.

    Relative URLs resolve against ``base_dir``; files load only from ``base_dir``, ``roots`` and the
    bundled templates, and any other URL raises TemplateError.
    """
    from weasyprint import HTML

    fetcher = make_url_fetcher([base_dir, BUNDLED_TEMPLATES, *roots])
    base_url = f"{Path(base_dir).resolve().as_uri()}/"
    with refused_resources():
        fonts = font_configuration()  # before the style sheet: a fresh configuration clears the parsed ones
        body, styles = lift_style(html, base_url, fetcher, fonts)
        return HTML(string=body, base_url=base_url, url_fetcher=fetcher).render(
            font_config=fonts, stylesheets=styles
        )


def layout_note(html: str, base_dir: Path, roots: Iterable[Path] = ()) -> Any:
    """Return the laid-out note, its contents list numbered from the last note's pages when they hold
    (:mod:`generator.contents_pages`); otherwise as :func:`layout_document`."""
    roots = list(roots)
    return contents_pages.laid_out(html, lambda text: layout_document(text, base_dir, roots))


_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)
_OTHER_STYLES = re.compile(r"<link\b[^>]*\bstylesheet\b|!\s*important", re.IGNORECASE)
_parsed_styles: dict[tuple[str, str], Any] = {}
KEPT_STYLES = 4


def lift_style(html: str, base_url: str, fetcher: Any, fonts: Any = None) -> tuple[str, list[Any]]:
    """Return ``html`` without its one ``<style>`` element, and that style sheet parsed (kept per text).

    A backfill, the preview and a build of several editions lay out many documents with the same
    style sheet; WeasyPrint would parse it again each time. Passed as a parsed sheet it has the user
    origin instead of the author origin, which orders the cascade the same way only when it is the
    document's sole style sheet and declares nothing ``!important``; otherwise the HTML is laid out as
    it is.
    """
    found = _STYLE.findall(html)
    if len(found) != 1 or _OTHER_STYLES.search(html):
        return html, []
    from weasyprint import CSS

    key = (found[0], base_url)
    sheet = _parsed_styles.get(key)
    if sheet is None:
        sheet = CSS(string=found[0], base_url=base_url, url_fetcher=fetcher, font_config=fonts)
        _parsed_styles[key] = sheet
        while len(_parsed_styles) > KEPT_STYLES:
            del _parsed_styles[next(iter(_parsed_styles))]
    return _STYLE.sub("", html, count=1), [sheet]


FONT_CONFIGURATION_USES = 8  #: documents laid out with one font configuration before a fresh one
_font_configuration: list[Any] = []  #: [configuration, documents laid out with it]


def font_configuration() -> Any:
    """Return this process's WeasyPrint font configuration: fontconfig set up once per few documents.

    Sharing it spares each document the set-up (a tenth of a second). Pango's font map keeps what it
    loads for as long as it lives, so a backfill worker that kept one for fifty notes grew by ~100 MiB:
    after :data:`FONT_CONFIGURATION_USES` documents the next gets a fresh one (and the style sheets
    parsed with the old one are parsed again).
    """
    from weasyprint.text.fonts import FontConfiguration

    if not _font_configuration or _font_configuration[1] >= FONT_CONFIGURATION_USES:
        _font_configuration[:] = [FontConfiguration(), 0]
        _parsed_styles.clear()
    _font_configuration[1] += 1
    return _font_configuration[0]


@contextmanager
def refused_resources(target: Path | None = None) -> Iterator[None]:
    """Turn a resource the URL fetcher refused into a TemplateError naming the URL (and the PDF).

    WeasyPrint fetches stylesheets and images while laying out, and ``rel="attachment"`` links only
    while writing the PDF, so both :func:`layout_document` and :func:`render_pdf` need this.
    """
    from weasyprint.urls import FatalURLFetchingError

    try:
        yield
    except FatalURLFetchingError as exc:
        raise TemplateError(
            f"resource refused: {exc}",
            file=target.name if target else None,  # not the staging folder's path
            hint="links, stylesheets, images and attachments in the templates may load only files "
            "from the template and chart folders",
        ) from exc


def pdf_attachments(files: Iterable[Path], stamped: date | None) -> list[Any]:
    """Return WeasyPrint attachments for ``files``, dated ``stamped`` (not the clock: same bytes)."""
    from weasyprint import Attachment

    moment = datetime.combine(stamped or date(2000, 1, 1), datetime.min.time())
    attachments = []
    for path in files:
        path = Path(path)
        attachments.append(
            Attachment(
                file_obj=io.BytesIO(path.read_bytes()),
                name=path.name,
                description=ATTACHMENT_DESCRIPTIONS.get(path.suffix, path.name),
                created=moment,
                modified=moment,
                relationship="Data",
            )
        )
    return attachments


def _page_languages(document: Any) -> list[str | None]:
    """Return the language tag of the edition (``<article lang>``) on each laid-out page."""
    languages: list[str | None] = []
    for page in document.pages:
        found = None
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.tag == "article" and element.get("lang"):
                found = element.get("lang")
                break
        languages.append(found)
    return languages


def mark_edition_languages(document: Any, pdf: Any) -> None:
    """Give each edition's article structure element its own /Lang (zh-CN or en).

    WeasyPrint tags the structure tree but takes /Lang from <html lang> only; a bilingual note needs
    the English part marked English so a screen reader switches voice. Used as write_pdf's finisher.
    """
    import pydyf

    languages = _page_languages(document)
    page_of = {bytes(reference): number for number, reference in enumerate(pdf.page_references)}
    for item in pdf.objects:
        if not isinstance(item, pydyf.Dictionary) or item.get("Type") != "/StructElem":
            continue
        if item.get("S") != "/Art" or "Pg" not in item:
            continue
        number = page_of.get(bytes(item["Pg"]))
        if number is not None and languages[number]:
            item["Lang"] = pydyf.String(languages[number])


def render_pdf(
    html: str,
    base_dir: Path,
    target: Path,
    roots: Iterable[Path] = (),
    attachments: Iterable[Path] = (),
    as_of: date | None = None,
    attachments_ready: Callable[[], object] | None = None,
) -> Path:
    """Write ``html`` as a tagged PDF to ``target`` (atomically) and return ``target``.

    ``attachments`` (the appendix workbook, figures.json) are embedded so the PDF alone carries its
    data; ``attachments_ready`` is called before they are read (the appendix may still be being written
    in another process): after layout for a new note, before it when a kept PDF of the same pages may
    be reused (the attachments' bytes complete the note cache's key). The file identifier is a hash of
    the HTML, the dates come from its <meta> tags and ``as_of``, so the same HTML and attachments give
    the same bytes.
    """
    started = time.perf_counter()
    roots = list(roots)
    files = [Path(path) for path in attachments]
    folders = [base_dir, *roots]
    laid_out = None
    if attachments_ready is not None:
        if not note_cache.may_reuse(html, folders):  # a new note: lay it out while the appendix is written
            laid_out = layout_note(html, base_dir, roots)
        attachments_ready()

    def make() -> bytes:
        document = laid_out if laid_out is not None else layout_note(html, base_dir, roots)
        # attachment links are fetched only now; each chart is drawn once for both editions, each
        # object serialised once, and a font subset the last note made for the same glyphs reused
        with (
            refused_resources(target),
            shared_drawings.drawn_once(),
            pdf_objects.serialised_once(),
            font_subsets.subsets_kept(),
        ):
            return document.write_pdf(
                pdf_identifier=pdf_identifier(html),
                pdf_tags=True,
                attachments=pdf_attachments(files, as_of),
                finisher=mark_edition_languages,
            )

    data = note_cache.made(  # a note whose HTML, loadable files and attachments did not change is reused
        html,
        folders,
        make,
        files=files,
    )
    write_atomic(target, data)
    log.info("render: %s (%d KiB) in %.2f s", target, len(data) // 1024, time.perf_counter() - started)
    return target


def write_note(
    target_pdf: Path,
    figures_doc: Mapping[str, Any],
    exhibits: Iterable[Any],
    views: Views | Path | None = None,
    *,
    langs: str | Sequence[str] = ("zh", "en"),
    templates_overlay: Path | None = None,
    demo: bool = False,
    stale: Iterable[Any] = (),
    as_of: date | None = None,
    logo: str | None = None,
    demo_inputs: Iterable[DemoInput] = (),
    attachments: Iterable[Path] = (),
    attachments_ready: Callable[[], object] | None = None,
) -> Path:
    """Render the note (editions in ``langs`` order) to ``target_pdf`` and return its path.

    ``exhibits``: dicts or objects with id, title_zh/en, unit_zh/en, source_zh/en and path (the SVG).
    ``views``: a :class:`Views`, a views.yaml path or folder, or None for the shipped views.
    ``attachments``: files embedded in the PDF (the appendix and figures.json); ``attachments_ready``
    is called before they are read (see :func:`render_pdf`).
    """
    inputs = note_inputs(
        figures_doc, exhibits, views, demo=demo, stale=stale, as_of=as_of, logo=logo, demo_inputs=demo_inputs
    )
    html = render_html(inputs, langs, templates_overlay)
    roots = resource_roots(inputs, templates_overlay)
    return render_pdf(
        html,
        roots[0],
        target_pdf,
        roots,
        attachments=attachments,
        as_of=inputs.as_of,
        attachments_ready=attachments_ready,
    )


def note_inputs(
    figures_doc: Mapping[str, Any],
    exhibits: Iterable[Any],
    views: Views | Path | None = None,
    *,
    demo: bool = False,
    stale: Iterable[Any] = (),
    as_of: date | None = None,
    logo: str | None = None,
    demo_inputs: Iterable[DemoInput] = (),
) -> NoteInputs:
    """Return the note's inputs (arguments as in :func:`write_note`).

    Raises TemplateError when the figures document lacks a figure the note quotes.
    """
    if not isinstance(views, Views):
        views = load_views(views)
    inputs = NoteInputs.from_document(
        figures_doc, exhibits, views, demo=demo, stale=stale, as_of=as_of, logo=logo, demo_inputs=demo_inputs
    )
    missing = inputs.missing_figures()
    if missing:
        raise TemplateError(
            f"figures.json lacks {len(missing)} figure(s) the note quotes: {', '.join(missing)}"
        )
    return inputs


def resource_roots(inputs: NoteInputs, templates_overlay: Path | None = None) -> list[Path]:
    """Return the folders the note may load files from: template folders (overlay first), chart folders.

    The first is the base folder that relative URLs in the templates resolve against.
    """
    return [*template_dirs(templates_overlay), *chart_folders(inputs.exhibits)]


def edition_name(langs: str | Sequence[str]) -> str:
    """Return the PDF file name for an edition: note.pdf (bilingual), note_zh.pdf, note_en.pdf."""
    langs = _langs(langs)
    return "note.pdf" if len(langs) > 1 else f"note_{langs[0]}.pdf"
