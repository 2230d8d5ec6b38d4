"""The one exception tree. Every error says which file, line or series it concerns and what to do.

The CLI prints a :class:`UstWeeklyError` as one line and exits with status 1; any other exception is a
bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class UstWeeklyError(Exception):
    """A problem the user can fix."""

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        line: int | None = None,
        series: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.series = series
        self.hint = hint

    def __str__(self) -> str:
        parts = []
        if self.series:
            parts.append(f"[{self.series}]")
        if self.file:
            parts.append(f"{self.file}:{self.line}:" if self.line else f"{self.file}:")
        parts.append(self.message)
        text = " ".join(parts)
        return f"{text} ({self.hint})" if self.hint else text


class SourceError(UstWeeklyError):
    """A publisher could not be reached, or it sent something unusable."""


class DataError(UstWeeklyError):
    """A series or file is missing, malformed, or has nothing on or before the as-of date."""


class TemplateError(UstWeeklyError):
    """A template does not parse, or names a block, figure or variable that does not exist."""


class ConfigError(UstWeeklyError):
    """A config, views or analyst input file is invalid."""


class StaleDataError(DataError):
    """A series is older than its expected freshness and --strict was given (exit status 3)."""


class UnavailableFiguresError(DataError):
    """Figures have no value at the as-of date and --strict was given (exit status 4)."""
