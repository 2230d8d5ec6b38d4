"""Demo inputs in a real note: what of a build's inputs is a placeholder rather than real.

views + analyst inputs + as-of date → a list of :class:`DemoInput`, each naming the file and saying,
in both editions' languages, what to replace. A build from real data (``--data-dir``, ``--live``)
that uses any of them gets the demo watermark, a build warning and ``"demo_inputs"`` in
manifest.json, and ``ust-weekly send`` refuses it without ``--allow-demo``. A build from the demo data
set is demo throughout and is marked as such already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.inputs import AnalystInputs
from generator.views import Views

#: author names the shipped views use for placeholders ("Sample Analyst A", "示例分析师甲")
SAMPLE_AUTHOR = re.compile(r"sample analyst|示例分析师", re.IGNORECASE)


@dataclass(frozen=True)
class DemoInput:
    """One placeholder input: the file it is in and what to do about it, in English and Chinese."""

    path: str
    en: str
    zh: str

    def __str__(self) -> str:
        """The line for build warnings and manifest.json: the file's full path, then the English text."""
        return f"{self.path}: {self.en}"

    @property
    def file_name(self) -> str:
        """The file's name, as the note's data notes print it (not the checkout's path)."""
        return Path(self.path).name


def find_demo_inputs(views: Views, inputs: AnalystInputs, as_of: date) -> tuple[DemoInput, ...]:
    """Return every demo input a note as of ``as_of`` would use (empty: none)."""
    found = []
    samples = [
        author.name
        for author in views.authors
        if SAMPLE_AUTHOR.search(author.name.en) or SAMPLE_AUTHOR.search(author.name.zh)
    ]
    if samples:
        found.append(
            DemoInput(
                str(views.source),
                f"the authors are sample analysts ({', '.join(name.en for name in samples)}); "
                "put the desk's analysts in views.yaml",
                f"作者为示例分析师（{'、'.join(name.zh for name in samples)}），"
                "请在views.yaml中填写本部门的分析师",
            )
        )
    demo_rows = [row for row in inputs.tariff_scenarios_as_of(as_of) if row.demo]
    if demo_rows:
        found.append(
            DemoInput(
                str(inputs.tariff_file),
                f"{len(demo_rows)} tariff scenario row(s) marked demo; "
                "replace them with published, cited figures",
                f"{len(demo_rows)}行关税情景标为演示数据，请替换为已发布并注明出处的数字",
            )
        )
    return tuple(found)
