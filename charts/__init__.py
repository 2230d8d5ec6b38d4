"""The twelve exhibits of the note and the house style they are drawn in.

exhibits.py  one data function (as-of view → tidy frame) and one draw function per exhibit, EXHIBITS
render.py    render_exhibit / render_all: house style, deterministic files, cache by input hash
palette.py   the colours; house.mplstyle the rest of the look
"""

from charts.exhibits import EXHIBITS, Exhibit
from charts.render import HOUSE_STYLE, render_all, render_exhibit

__all__ = ["EXHIBITS", "HOUSE_STYLE", "Exhibit", "render_all", "render_exhibit"]
