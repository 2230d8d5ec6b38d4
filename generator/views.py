"""``views.yaml``: the analyst's house view, in Chinese and English, validated on load.

The file lives in the analyst's folder (shipped default: ``analyst/views.yaml``). Every text field
holds both languages (``zh:`` and ``en:``); numbers the analyst sets (the 10y target range) are plain
numbers and are formatted by the templates like any figure. Every problem is reported at once, each
naming its key and line: ``analyst/views.yaml:7: target_10y.high: must be above target_10y.low``.

Point in time: a folder may keep dated views, ``views/2025-02-07.yaml`` …; a note as of D uses the
newest file dated on or before D (so a backfill reproduces what the desk said then), and
``views.yaml`` only when none is. A dated file more than :data:`VIEWS_MAX_AGE_DAYS` older than D is
flagged (:func:`views_age_warning`).

Views that rest on data say so: ``strategy`` and ``risks`` may carry ``conditions:``, one list per
paragraph of claim names from :mod:`generator.wording` (``not `` negates), and
:func:`check_view_conditions` warns, naming the file and line, when a condition is false for the
note's figures.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from generator.errors import ConfigError

VIEWS_NAME = "views.yaml"
DATED_VIEWS_FOLDER = "views"
SHIPPED_VIEWS = Path(__file__).resolve().parents[1] / "analyst" / VIEWS_NAME
#: a dated views file older than this (days before the note's date) is flagged as out of date
VIEWS_MAX_AGE_DAYS = 35
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.ya?ml$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """One piece of text in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, lang: str) -> str:
        return getattr(self, lang)


class Paragraphs(_Strict):
    """A list of paragraphs (or bullet items) in both languages, each with the claims it assumes."""

    zh: tuple[str, ...] = Field(min_length=1)
    en: tuple[str, ...] = Field(min_length=1)
    #: per paragraph, the claims (generator.wording names, "not NAME" for the negation) it assumes
    conditions: tuple[tuple[str, ...], ...] = ()

    @field_validator("zh", "en")
    @classmethod
    def _no_empty_items(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        if any(not item.strip() for item in items):
            raise ValueError("empty paragraph")
        return items

    @field_validator("conditions")
    @classmethod
    def _known_claims(cls, conditions: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
        from generator.wording import claim_meanings

        known = claim_meanings()
        unknown = sorted(
            {name.removeprefix("not ").strip() for items in conditions for name in items} - set(known)
        )
        if unknown:
            raise ValueError(f"unknown claim {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return conditions

    @model_validator(mode="after")
    def _one_list_per_paragraph(self) -> Paragraphs:
        if len(self.zh) != len(self.en):
            raise ValueError(f"{len(self.zh)} zh paragraphs but {len(self.en)} en ones")
        if self.conditions and len(self.conditions) != len(self.en):
            raise ValueError(f"conditions has {len(self.conditions)} lists for {len(self.en)} paragraphs")
        return self

    def __call__(self, lang: str) -> tuple[str, ...]:
        return getattr(self, lang)


class Author(_Strict):
    name: Text
    role: Text | None = None
    licence: str | None = None  # e.g. an SFC CE number, printed as given


class TargetRange(_Strict):
    """The desk's 10y yield target range, in percent."""

    low: float = Field(ge=-5, le=25)
    high: float = Field(ge=-5, le=25)
    horizon: Text

    @model_validator(mode="after")
    def _ordered(self) -> TargetRange:
        if self.high <= self.low:
            raise ValueError("high must be above low")
        return self


class Views(_Strict):
    """The validated contents of views.yaml."""

    title: Text = Text(zh="美债周报", en="US Treasury Weekly")
    desk: Text = Text(zh="宏观经济研究", en="Macro Research")
    headline: Text
    #: the claims the headline assumes (as a paragraph's conditions); a note whose figures contradict
    #: one carries a plain dated headline instead (:func:`views_that_hold`)
    headline_conditions: tuple[str, ...] = ()
    authors: tuple[Author, ...] = Field(min_length=1)
    target_10y: TargetRange
    strategy: Paragraphs
    risks: Paragraphs
    source: Path | None = Field(None, exclude=True)
    dated: date | None = Field(None, exclude=True)  #: the date in a dated file's name
    lines: dict[str, int] = Field(default_factory=dict, exclude=True)  #: "strategy.conditions.0" → line

    @field_validator("headline_conditions")
    @classmethod
    def _known_headline_claims(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        Paragraphs._known_claims((names,))
        return names

    def author_names(self, lang: str) -> str:
        """Return the authors' names joined for ``lang``: 张三、李四 / Zhang San, Li Si."""
        return ("、" if lang == "zh" else ", ").join(author.name(lang) for author in self.authors)


def _key_lines(node: yaml.Node, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    """Return the 1-based line of every key path in a composed YAML document."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            lines.update(_key_lines(value_node, child))
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_key_lines(item, (*path, index)))
    return lines


def _line_for(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int | None:
    path = tuple(str(part) if not isinstance(part, int) else part for part in loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def parse_views(text: str, origin: Path | str) -> Views:
    """Return views parsed from YAML ``text``; ConfigError lists every problem with key and line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ConfigError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=origin, line=line) from exc
    if not isinstance(raw, dict):
        raise ConfigError("expected a mapping of keys (headline, authors, target_10y, …)", file=origin)
    lines = _key_lines(node) if node is not None else {}
    try:
        views = Views.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(part for part in error["loc"] if part not in ("function-after",))
            key = ".".join(str(part) for part in loc) or "(top level)"
            line = _line_for(lines, loc)
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"line {line}: {key}: {message}" if line else f"{key}: {message}")
        first_line = _line_for(lines, tuple(exc.errors()[0]["loc"]))
        raise ConfigError("; ".join(problems), file=origin, line=first_line) from exc
    condition_lines = {
        ".".join(str(part) for part in key): line
        for key, line in lines.items()
        if (len(key) >= 2 and key[1] == "conditions") or key == ("headline_conditions",)
    }
    match = _DATED_NAME.match(Path(origin).name)
    dated = date.fromisoformat(match.group(1)) if match else None
    return views.model_copy(update={"source": Path(origin), "dated": dated, "lines": condition_lines})


def dated_views_files(folder: Path) -> dict[date, Path]:
    """Return the dated views files of ``folder``/views/ by date (``2025-02-07.yaml`` → 2025-02-07)."""
    dated_folder = folder / DATED_VIEWS_FOLDER
    if not dated_folder.is_dir():
        return {}
    found = {}
    for path in sorted(dated_folder.iterdir()):
        match = _DATED_NAME.match(path.name)
        if match and path.is_file():
            found[date.fromisoformat(match.group(1))] = path
    return found


def views_path_for(folder: Path, as_of: date | None) -> Path:
    """Return the views file of ``folder`` a note as of ``as_of`` uses.

    The newest ``views/YYYY-MM-DD.yaml`` dated on or before ``as_of`` (any, when ``as_of`` is None),
    else the folder's ``views.yaml``, else (a folder with only later dated files) the shipped one.
    """
    dated = dated_views_files(folder)
    usable = [day for day in dated if as_of is None or day <= as_of]
    if usable:
        return dated[max(usable)]
    if dated and not (folder / VIEWS_NAME).is_file():
        return SHIPPED_VIEWS
    return folder / VIEWS_NAME


def views_age_warning(views: Views, as_of: date) -> str | None:
    """Return a warning when the views file is dated more than 35 days before ``as_of``, else None."""
    if views.dated is None or (as_of - views.dated).days <= VIEWS_MAX_AGE_DAYS:
        return None
    return (
        f"{views.source}: house view dated {views.dated} is {(as_of - views.dated).days} days older than "
        f"the note ({as_of}); add {DATED_VIEWS_FOLDER}/{as_of}.yaml with the current view"
    )


def check_view_conditions(views: Views, claims: Mapping[str, bool | None], as_of: date) -> list[str]:
    """Return one warning per view paragraph whose stated condition is false (or unknown) for the figures.

    Each names the file and line of the paragraph's ``conditions`` entry and the claim.
    """
    from generator.wording import claim_meanings

    meanings = claim_meanings()
    warnings = []
    stated = [("headline_conditions", "the headline", views.headline_conditions, "a dated headline instead")]
    for section in ("strategy", "risks"):
        paragraphs: Paragraphs = getattr(views, section)
        for index, names in enumerate(paragraphs.conditions):
            stated.append((f"{section}.conditions.{index}", f"{section} paragraph {index + 1}", names, ""))
    for key, what, names, instead in stated:
        line = views.lines.get(key)
        where = f"{views.source}:{line}" if line else f"{views.source}"
        outcome = f"the note prints {instead}" if instead else "the note leaves it out"
        for name in names:
            negated = name.startswith("not ")
            claim = name.removeprefix("not ").strip()
            truth = claims.get(claim)
            if truth is None:
                warnings.append(
                    f"{where}: {what} assumes {name}, which cannot be checked as of {as_of}: "
                    f"a figure it rests on is unavailable; {outcome}"
                )
            elif truth is negated:
                meaning = f"not ({meanings[claim]})" if negated else meanings[claim]
                warnings.append(
                    f"{where}: {what} assumes {name} ({meaning}), which the figures as of {as_of} "
                    f"contradict; {outcome} (reword it or change its conditions)"
                )
    return warnings


def dated_headline(as_of: date) -> Text:
    """Return the headline a note carries when the view's own headline does not hold: what and when."""
    from generator.formatting import format_date

    return Text(
        zh=f"截至{format_date(as_of, 'zh')}的美债周度观察",
        en=f"US Treasuries in the week to {format_date(as_of, 'en')}",
    )


def paragraph_holds(names: tuple[str, ...], claims: Mapping[str, bool | None]) -> bool:
    """Return whether every condition a paragraph names is true for the figures (an unknown one is not)."""
    for name in names:
        negated = name.startswith("not ")
        truth = claims.get(name.removeprefix("not ").strip())
        if truth is None or truth is negated:
            return False
    return True


def views_that_hold(views: Views, claims: Mapping[str, bool | None], as_of: date | None = None) -> Views:
    """Return ``views`` without the strategy and risk paragraphs whose stated conditions do not hold, and
    with a plain dated headline (:func:`dated_headline`) if the headline's conditions do not.

    A house view written for one week must not print a false premise in another week's note:
    :func:`check_view_conditions` warns about the paragraph, and the note leaves it out.
    """
    kept: dict[str, Any] = {}
    if as_of is not None and not paragraph_holds(views.headline_conditions, claims):
        kept["headline"] = dated_headline(as_of)
    for section in ("strategy", "risks"):
        paragraphs: Paragraphs = getattr(views, section)
        if not paragraphs.conditions:
            continue
        keep = [
            index
            for index in range(len(paragraphs.en))
            if index >= len(paragraphs.conditions) or paragraph_holds(paragraphs.conditions[index], claims)
        ]
        if len(keep) == len(paragraphs.en):
            continue
        kept[section] = paragraphs.model_copy(
            update={
                "zh": tuple(paragraphs.zh[index] for index in keep),
                "en": tuple(paragraphs.en[index] for index in keep),
                "conditions": tuple(
                    paragraphs.conditions[index] for index in keep if index < len(paragraphs.conditions)
                ),
            }
        )
    return views.model_copy(update=kept) if kept else views


def load_views(path: Path | None = None, as_of: date | None = None) -> Views:
    """Return the views in ``path`` (a views.yaml, or a folder holding one or dated views); default:
    the shipped file. A folder gives the file a note as of ``as_of`` uses (:func:`views_path_for`)."""
    path = path or SHIPPED_VIEWS
    if path.is_dir():
        path = views_path_for(path, as_of)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read: {exc.strerror}", file=path, hint="create one with `ust-weekly init DIR`"
        ) from exc
    return parse_views(text, path)
