"""The catalogue is the one list of series: its cross-references must agree with the code that uses it."""

from __future__ import annotations

from charts.exhibits import EXHIBITS
from generator.catalogue import CATALOGUE, SERIES
from generator.figures import FIGURE_GROUPS
from generator.sources import PUBLISHERS

CONTEXT_TAGS = {"ctx", "check"}


def test_exhibits_and_figure_groups_are_recorded_in_used_by():
    for exhibit_id, exhibit in EXHIBITS.items():
        for key in exhibit.series:
            assert exhibit_id in CATALOGUE[key].used_by, (exhibit_id, key)
    for group, (_compute, keys) in FIGURE_GROUPS.items():
        for key in keys:
            assert group in CATALOGUE[key].used_by, (group, key)


def test_every_used_by_tag_names_something_real():
    known = set(EXHIBITS) | set(FIGURE_GROUPS) | CONTEXT_TAGS
    for spec in SERIES:
        assert spec.used_by, spec.key
        assert set(spec.used_by) <= known, (spec.key, set(spec.used_by) - known)


def test_every_entry_has_an_adapter_labels_and_a_canonical_file():
    for spec in SERIES:
        assert spec.publisher in PUBLISHERS, spec.key
        assert spec.label_en, spec.key
        assert spec.label_zh, spec.key
        assert spec.file.startswith(f"{spec.publisher}/"), spec.key
        assert spec.max_age_days > 0
        assert str(spec.lag)
