"""The one palette of the exhibits: named colours (hex) and the colour cycle that house.mplstyle sets.

Exhibits name colours by role (``HIGHLIGHT`` for the series a chart is about) rather than by hex, so
that the look changes here and in ``house.mplstyle`` only.
"""

from __future__ import annotations

NAVY = "#0b3d91"  #: the main series
RED = "#c8102e"  #: the highlighted series (bills, hedged yields)
GOLD = "#e8a33d"
GREY = "#8c8c8c"  #: context series (unhedged yields, reference lines)
SKY = "#6a9fd8"
TEAL = "#2a9d8f"
LIGHT_GREY = "#d9d9d9"  #: grid
INK = "#404040"  #: tick labels and annotations

#: the colour cycle, in the order of ``axes.prop_cycle`` in house.mplstyle
CYCLE = (NAVY, RED, GOLD, GREY, SKY, TEAL)
HIGHLIGHT = RED
CONTEXT = GREY
