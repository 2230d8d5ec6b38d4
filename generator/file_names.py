"""Names of the files a build writes and a client receives.

Two schemes:

- **fixed** (the build folder's default): ``note.pdf`` (bilingual), ``note_zh.pdf``, ``note_en.pdf``,
  ``appendix.xlsx``: the same names every week, because the folder itself is dated.
- **dated**: ``ust-weekly_2025-02-07_zh.pdf``, ``ust-weekly_2025-02-07_en.pdf``,
  ``ust-weekly_2025-02-07_zh-en.pdf`` (bilingual), ``ust-weekly_2025-02-07_appendix.xlsx``: names
  that stay apart in a client's inbox or download folder, week after week.

Mail attachments always carry the dated names; the build folder uses them when the settings say
``dated_names = true``. The manifest records the names a build used, so nothing downstream guesses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from generator.render import edition_name

PREFIX = "ust-weekly"
APPENDIX_NAME = "appendix.xlsx"


def _edition_key(langs: str | Sequence[str]) -> str:
    """Return the edition as a name part: "zh", "en", or "zh-en" for the bilingual note."""
    parts = langs.replace(",", "+").split("+") if isinstance(langs, str) else list(langs)
    return "-".join(parts)


def dated_edition_name(langs: str | Sequence[str], as_of: date) -> str:
    """Return the dated PDF name of an edition ("zh", "en", "zh+en" or a tuple of languages)."""
    return f"{PREFIX}_{as_of.isoformat()}_{_edition_key(langs)}.pdf"


def dated_appendix_name(as_of: date) -> str:
    """Return the dated workbook name: ust-weekly_2025-02-07_appendix.xlsx."""
    return f"{PREFIX}_{as_of.isoformat()}_appendix.xlsx"


def edition_file_name(langs: str | Sequence[str], as_of: date, dated: bool) -> str:
    """Return the PDF name an edition is written under in the build folder."""
    return dated_edition_name(langs, as_of) if dated else edition_name(langs)


def appendix_file_name(as_of: date, dated: bool) -> str:
    """Return the name the appendix workbook is written under in the build folder."""
    return dated_appendix_name(as_of) if dated else APPENDIX_NAME


def give_dated_names(folder: Path, editions: Iterable[Sequence[str]], as_of: date) -> None:
    """Rename the PDFs of ``editions`` and the appendix in ``folder`` from their fixed to their dated names.

    The stages of a build write the fixed names; a build asked for dated names renames its staging
    folder's files once, before the manifest records them.
    """
    for langs in editions:
        (folder / edition_name(langs)).rename(folder / dated_edition_name(langs, as_of))
    if (folder / APPENDIX_NAME).is_file():
        (folder / APPENDIX_NAME).rename(folder / dated_appendix_name(as_of))
