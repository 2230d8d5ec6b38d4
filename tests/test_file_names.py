"""Output file names: fixed in the build folder by default, dated for clients."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from generator.file_names import (
    appendix_file_name,
    dated_appendix_name,
    dated_edition_name,
    edition_file_name,
    give_dated_names,
)

AS_OF = date(2025, 2, 7)


def test_dated_names_for_each_edition_and_the_appendix():
    assert dated_edition_name("zh", AS_OF) == "ust-weekly_2025-02-07_zh.pdf"
    assert dated_edition_name(("en",), AS_OF) == "ust-weekly_2025-02-07_en.pdf"
    assert dated_edition_name("zh+en", AS_OF) == "ust-weekly_2025-02-07_zh-en.pdf"
    assert dated_edition_name(("zh", "en"), AS_OF) == "ust-weekly_2025-02-07_zh-en.pdf"
    assert dated_appendix_name(AS_OF) == "ust-weekly_2025-02-07_appendix.xlsx"


def test_the_build_folder_keeps_fixed_names_unless_asked():
    assert edition_file_name(("zh", "en"), AS_OF, dated=False) == "note.pdf"
    assert edition_file_name(("zh",), AS_OF, dated=False) == "note_zh.pdf"
    assert appendix_file_name(AS_OF, dated=False) == "appendix.xlsx"
    assert edition_file_name(("en",), AS_OF, dated=True) == "ust-weekly_2025-02-07_en.pdf"
    assert appendix_file_name(AS_OF, dated=True) == "ust-weekly_2025-02-07_appendix.xlsx"


def test_a_folder_of_fixed_names_gets_dated_names(tmp_path: Path):
    for name in ("note.pdf", "note_en.pdf", "appendix.xlsx", "figures.json"):
        (tmp_path / name).write_text(name)
    give_dated_names(tmp_path, [("zh", "en"), ("en",)], AS_OF)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "figures.json",
        "ust-weekly_2025-02-07_appendix.xlsx",
        "ust-weekly_2025-02-07_en.pdf",
        "ust-weekly_2025-02-07_zh-en.pdf",
    ]
    assert (tmp_path / "ust-weekly_2025-02-07_en.pdf").read_text() == "note_en.pdf"
