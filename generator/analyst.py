"""``ust-weekly init DIR``: scaffold an analyst's folder.

DIR/ views.yaml            the house view (copy of the shipped analyst/views.yaml), for dates before
                           the first dated file
     views/YYYY-MM-DD.yaml the same view, dated the day ``init`` ran: add a file per change of view
     refunding.csv         refunding estimates, cited (copy of analyst/refunding.csv)
     tariff_scenarios.csv  tariff scenarios (copy of analyst/tariff_scenarios.csv)
     templates/            an empty overlay: README, note.html.example, extra.css (comments only)
     ust-weekly.toml       the folder's settings, every default written out as a comment

Existing files are never overwritten; they are reported as kept.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.errors import ConfigError

SHIPPED_ANALYST = Path(__file__).resolve().parents[1] / "analyst"
COPIED = ("views.yaml", "refunding.csv", "tariff_scenarios.csv")

CONFIG_TEXT = """\
# ust-weekly.toml: settings for builds run from this folder (or any folder below it).
# Every line is commented out, so the defaults apply; uncomment and edit what you need.
# Relative paths are resolved against this file's folder.

# data_dir = "../shared/data"      # publisher files; omit for the synthetic demo data
# out_dir = "output"               # builds go to <out_dir>/<as-of>/
# langs = ["zh", "en"]             # the bilingual note; ["zh"] or ["en"] for one edition
# dated_names = true               # ust-weekly_<as-of>_zh.pdf … instead of note_zh.pdf, appendix.xlsx
analyst_dir = "."                  # views.yaml, refunding.csv, tariff_scenarios.csv
templates = "templates"            # overlay searched before the built-in templates
# views = "views.yaml"            # a fixed file; by default views/YYYY-MM-DD.yaml as of the note's date

# [branding]                       # defaults: the desk named in views.yaml, no logo
# desk = "Macro Research"
# desk_zh = "宏观经济研究"
# logo = "logo.svg"                # an image in the templates/ overlay, shown in the title block

# [exhibit_windows]                # date range shown per exhibit: 3y, 18m or a first date
# E01 = "3y"

# [smtp]                           # for `ust-weekly send`; the password comes from the environment
# host = "smtp.example.com"
# port = 587
# security = "starttls"            # starttls, ssl or none
# sender = "research@example.com"
# username_env = "UST_WEEKLY_SMTP_USER"
# password_env = "UST_WEEKLY_SMTP_PASSWORD"

# [[recipients]]
# email = "client@example.com"
# name = "A Client"
# lang = "en"                      # zh, en or zh+en
"""

OVERLAY_README = """\
# Template overlay

Files here are found before the built-in templates (`templates/` in the UST Weekly repository), so a
file with the same name replaces the built-in one, and everything else falls through.

- Override one block: rename `note.html.example` to `note.html` and keep only the blocks you change.
  Blocks: title_block, sidebar, summary, key_points, refunding, shadow_qe, foreign, supply, macro,
  strategy, risks, exhibits, key_figures, data_notes, disclaimer. `{{ super() }}` keeps the built-in
  content and adds to it. Use `{% if lang == "zh" %}` for wording that differs by language.
- Colours and fonts: copy the built-in `theme.css` here and change its variables.
- Extra CSS rules: `extra.css` (loaded last).
- Headings and fixed wording: copy the built-in `labels.yaml` here and edit it.
- E-mails: copy `email/subject.txt`, `email/body.txt` or `email/body.html` here (an `email/` folder).
- One section's prose: copy e.g. `en/summary.html` here. Numbers go through filters
  (`fmt("ust10y.last")`, `v("tga.last_bn")|usd`), never typed.

A typo fails the build with the file, line and name: `note.html:3: undefined name: …`.
"""

NOTE_EXAMPLE = """\
{#- Rename to note.html to use. It replaces the built-in note.html, which only extends base.html. -#}
{% extends "base.html" %}

{#- Add a line to the disclaimer, in both languages: -#}
{% block disclaimer %}
{{ super() }}
<p>{{ "仅供内部使用。" if lang == "zh" else "For internal distribution only." }}</p>
{% endblock %}

{#- Replace the risks with a fixed list (the views.yaml risks are then ignored):
{% block risks %}
<ul class="risk-list"><li>…</li></ul>
{% endblock %}
-#}
"""

EXTRA_CSS = """\
/* Loaded after the house style. Examples:
:root { --accent: #7a1f2b; }               change the accent colour
.sidebar { background: #f6f1e7; }          a warmer sidebar
*/
"""


@dataclass
class Scaffold:
    """What ``init`` wrote and what it left alone."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def _write(path: Path, text: str, result: Scaffold) -> None:
    if path.exists():
        result.kept.append(path)
        return
    path.write_text(text, encoding="utf-8")
    result.written.append(path)


def scaffold_analyst_folder(folder: Path, today: date | None = None) -> Scaffold:
    """Create the analyst folder ``folder`` (see the module docstring); return the files written and kept.

    ``today`` names the dated views file (``views/<today>.yaml``); None writes no dated file.
    """
    if folder.exists() and not folder.is_dir():
        raise ConfigError("exists and is not a folder", file=folder)
    result = Scaffold()
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        target = folder / name
        if target.exists():
            result.kept.append(target)
            continue
        shutil.copyfile(SHIPPED_ANALYST / name, target)
        result.written.append(target)
    if today is not None:
        dated = folder / "views" / f"{today.isoformat()}.yaml"
        if any((folder / "views").glob("*.yaml")):
            result.kept.extend(sorted((folder / "views").glob("*.yaml")))
        else:
            dated.parent.mkdir(exist_ok=True)
            shutil.copyfile(SHIPPED_ANALYST / "views.yaml", dated)
            result.written.append(dated)
    _write(folder / "ust-weekly.toml", CONFIG_TEXT, result)
    _write(folder / "templates" / "README.md", OVERLAY_README, result)
    _write(folder / "templates" / "note.html.example", NOTE_EXAMPLE, result)
    _write(folder / "templates" / "extra.css", EXTRA_CSS, result)
    return result
