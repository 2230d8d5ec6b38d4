"""Demo inputs in a real note: what of a build's inputs is a placeholder rather than real.

views + analyst inputs + as-of date → a list of one-line descriptions, each naming the file. A build
from real data (``--data-dir``, ``--live``) that uses any of them gets the demo watermark, a build
warning and ``"demo_inputs"`` in manifest.json, and ``ust-weekly send`` refuses it without
``--allow-demo``. A build from the demo data set is demo throughout and is marked as such already.
"""

from __future__ import annotations

import re
from datetime import date

from generator.inputs import AnalystInputs
from generator.views import Views

#: author names the shipped views use for placeholders ("Sample Analyst A", "示例分析师甲")
SAMPLE_AUTHOR = re.compile(r"sample analyst|示例分析师", re.IGNORECASE)


def find_demo_inputs(views: Views, inputs: AnalystInputs, as_of: date) -> tuple[str, ...]:
    """Return a description of every demo input a note as of ``as_of`` would use (empty: none)."""
    found = []
    samples = [
        author.name.en
        for author in views.authors
        if SAMPLE_AUTHOR.search(author.name.en) or SAMPLE_AUTHOR.search(author.name.zh)
    ]
    if samples:
        found.append(
            f"{views.source}: the authors are sample analysts ({', '.join(samples)}); "
            "put the desk's analysts in views.yaml"
        )
    demo_rows = [row for row in inputs.tariff_scenarios_as_of(as_of) if row.demo]
    if demo_rows:
        found.append(
            f"{inputs.tariff_file}: {len(demo_rows)} tariff scenario row(s) marked demo; "
            "replace them with published, cited figures"
        )
    return tuple(found)
