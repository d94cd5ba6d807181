"""The portal's own countdown of the final calculation (screen 15's loading page, "Tempo estimado
em 02:43"): an upper bound of the wait, not a forecast. Read off the page's visible text, never
an element's id (the real portal's is unknown): the first "Tempo estimado em" followed by a time
as `mm:ss` or `h:mm:ss` (the digits may sit in elements of their own), in whole seconds; `null`
when no countdown shows (hidden, gone, or without a time)."""

from __future__ import annotations

# The phrase that opens the countdown on the page.
COUNTDOWN_TEXT = "Tempo estimado em"

# `countdownSeconds(text)`: the countdown shown in a page's visible text (innerText), or null.
COUNTDOWN_FN = r"""function countdownSeconds(text) {
  const m = /Tempo estimado em\s*:?\s*(?:(\d{1,2})\s*:\s*)?(\d{1,3})\s*:\s*(\d{2})(?!\d)/i.exec(text || '');
  if (!m) return null;
  const seconds = Number(m[3]);
  if (seconds > 59) return null;
  return Number(m[1] || 0) * 3600 + Number(m[2]) * 60 + seconds;
}"""
