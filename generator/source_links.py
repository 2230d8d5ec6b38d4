"""Where a reader of the PDF can find a number's source: web addresses from the catalogue's endpoints.

A figure's ``inputs`` (figures.json: ``[{"series": key, ...}]``) and an exhibit's ``series`` name
catalogue series; each series whose ``endpoint`` is a web address becomes one link, labelled with the
publisher's name in the reader's language and the publisher's own code. Web addresses written into a
source text (the refunding statement's press release) are links too. Endpoints that are not addresses
("none: proprietary …") give no link; an endpoint templated by year ("…/daily-treasury-rates.csv/
{YEAR}/…") is filled with the year of the observation, other templates ("{Nth}-Quarter") give none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.catalogue import CATALOGUE, PUBLISHER_NAMES

URL = re.compile(r"https?://[^\s,;)（）；，]+")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*[A-Za-z0-9]")


#: a code longer than this, or not ASCII (MOF's "10年"), is shown as its publisher's name in a short label
SHORT_CODE_CHARS = 16


@dataclass(frozen=True)
class SourceLink:
    """One link to a source: the text shown, a short form of it, and the web address."""

    label: str
    url: str
    short: str = ""


def _address(endpoint: str, year: int | None) -> str | None:
    """Return the web address of ``endpoint`` for observations of ``year``, or None if it has none."""
    if not endpoint.startswith(("https://", "http://")):
        return None
    if year is not None:
        endpoint = endpoint.replace("{YEAR}", str(year))
    return None if "{" in endpoint else endpoint


def series_keys(inputs: Any) -> tuple[str, ...]:
    """Return the series keys named by a figure's ``inputs`` (dicts with "series", or plain keys)."""
    keys = []
    for item in inputs or ():
        key = item.get("series") if isinstance(item, Mapping) else item
        if isinstance(key, str) and key not in keys:
            keys.append(key)
    return tuple(keys)


def series_links(keys: Iterable[str], lang: str, year: int | None = None) -> list[SourceLink]:
    """Return one link per catalogue series in ``keys`` that has a web endpoint (unknown keys skipped);
    ``year`` fills endpoints published per year (the Treasury par curve)."""
    links: list[SourceLink] = []
    seen: set[str] = set()
    for key in keys:
        spec = CATALOGUE.get(key)
        url = None if spec is None else _address(spec.endpoint, year)
        if spec is None or url is None or url in seen:
            continue
        seen.add(url)
        publisher = PUBLISHER_NAMES.get(spec.publisher, {}).get(lang, spec.publisher)
        short = spec.code if len(spec.code) <= SHORT_CODE_CHARS and spec.code.isascii() else publisher
        links.append(SourceLink(f"{publisher} {spec.code}", url, short))
    return links


def text_links(text: str) -> list[SourceLink]:
    """Return the web addresses written in ``text``, each labelled with its host."""
    links = []
    for found in URL.findall(text or ""):
        url = found.rstrip(".")
        host = url.split("/")[2]
        links.append(SourceLink(host, url, host))
    return links


def series_named_in(text: str) -> tuple[str, ...]:
    """Return the catalogue series whose publisher is named in ``text`` and whose code appears there as
    a whole token ("FRED (St. Louis Fed) DGS10" → ust10y).

    The fallback for figures.json entries written before figures named their ``inputs``.
    """
    text = text or ""
    tokens = set(_TOKEN.findall(text))
    return tuple(
        key
        for key, spec in CATALOGUE.items()
        if " " not in spec.code
        and spec.code in tokens
        and PUBLISHER_NAMES.get(spec.publisher, {}).get("en", "\0") in text
    )


def figure_links(figure: Mapping[str, Any], lang: str) -> list[SourceLink]:
    """Return a figures.json entry's links: its input series' endpoints (from ``inputs``, else from the
    codes its source names), then the web addresses written in its source."""
    keys = series_keys(figure.get("inputs")) or series_named_in(str(figure.get("source") or ""))
    dated = str(figure.get("date") or "")
    links = series_links(keys, lang, int(dated[:4]) if dated[:4].isdigit() else None)
    known = {link.url for link in links}
    for source in (figure.get("source"), figure.get("source_zh")):
        links.extend(link for link in text_links(source or "") if link.url not in known)
        known.update(link.url for link in links)
    return links
