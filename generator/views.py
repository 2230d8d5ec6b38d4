"""``views.yaml``: the analyst's house view, in Chinese and English, validated on load.

The file lives in the analyst's folder (shipped default: ``analyst/views.yaml``). Every text field
holds both languages (``zh:`` and ``en:``); numbers the analyst sets (the 10y target range) are plain
numbers and are formatted by the templates like any figure. Every problem is reported at once, each
naming its key and line: ``analyst/views.yaml:7: target_10y.high: must be above target_10y.low``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from generator.errors import ConfigError

VIEWS_NAME = "views.yaml"
SHIPPED_VIEWS = Path(__file__).resolve().parents[1] / "analyst" / VIEWS_NAME


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    """One piece of text in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, lang: str) -> str:
        return getattr(self, lang)


class Paragraphs(_Strict):
    """A list of paragraphs (or bullet items) in both languages."""

    zh: tuple[str, ...] = Field(min_length=1)
    en: tuple[str, ...] = Field(min_length=1)

    @field_validator("zh", "en")
    @classmethod
    def _no_empty_items(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        if any(not item.strip() for item in items):
            raise ValueError("empty paragraph")
        return items

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
    authors: tuple[Author, ...] = Field(min_length=1)
    target_10y: TargetRange
    strategy: Paragraphs
    risks: Paragraphs
    source: Path | None = Field(None, exclude=True)

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
    return views.model_copy(update={"source": Path(origin)})


def load_views(path: Path | None = None) -> Views:
    """Return the views in ``path`` (a views.yaml, or a folder holding one); default: the shipped file."""
    path = path or SHIPPED_VIEWS
    if path.is_dir():
        path = path / VIEWS_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read: {exc.strerror}", file=path, hint="create one with `ust-weekly init DIR`"
        ) from exc
    return parse_views(text, path)
