"""Inputs for the note tests: the synthetic figures fixture and placeholder exhibit SVGs."""

from __future__ import annotations

import copy
import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "note"

PLACEHOLDER_SVG = """<?xml version="1.0" encoding="utf-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="453.6pt" height="216pt" viewBox="0 0 453.6 216">
<rect x="0" y="0" width="453.6" height="216" fill="#ffffff"/>
<line x1="40" y1="190" x2="440" y2="190" stroke="#8c8c8c" stroke-width="0.8"/>
<line x1="40" y1="10" x2="40" y2="190" stroke="#8c8c8c" stroke-width="0.8"/>
<polyline fill="none" stroke="#0b3d91" stroke-width="1.5" points="{points}"/>
</svg>
"""


def figures_doc(**values: float) -> dict:
    """Return the synthetic figures document, with ``values`` (key with "." as "__") replaced."""
    doc = json.loads((FIXTURES / "figures.json").read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    for name, value in values.items():
        doc["figures"][name.replace("__", ".")]["value"] = value
    return doc


def placeholder_exhibits(folder: Path) -> list[dict]:
    """Write twelve placeholder SVGs into ``folder`` and return exhibit dicts pointing at them."""
    folder.mkdir(parents=True, exist_ok=True)
    exhibits = []
    for number in range(1, 13):
        points = " ".join(f"{40 + step * 20},{100 + ((step * number) % 7) * 10}" for step in range(21))
        path = folder / f"e{number:02d}.svg"
        path.write_text(PLACEHOLDER_SVG.format(points=points), encoding="utf-8")
        exhibits.append(
            {
                "id": f"E{number:02d}",
                "title_zh": f"测试图表标题{number}",
                "title_en": f"Test exhibit title {number}",
                "unit_zh": "%",
                "unit_en": "%",
                "source_zh": "测试数据",
                "source_en": "test data",
                "path": path,
            }
        )
    return exhibits
