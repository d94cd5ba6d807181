"""Landmarks of the insurer's portal that both the screen units and the readers use: where the
estimate's carousel sits, the title of the result page and the portal's error banner. A module of
its own, below both, so a reader never reaches up into the screens for a selector."""

from __future__ import annotations

# A screen-level error banner (MUI Alert, error severity): a failed server lookup.
ERROR_ALERT = ".MuiAlert-standardError[role=alert]"

# The estimate's carousel on screen 5 (its slides are `[role=group][aria-roledescription=slide]`).
CAROUSEL = "div[role=region][aria-roledescription=carousel]"

# The heading of the result page on screen 15.
RESULT_TITLE = "Parabéns, chegamos ao resultado final da cotação!"
