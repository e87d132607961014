"""Text with its spans highlighted and labelled, as one line of raw HTML.

The primitive lives with the task types (``guidekit.tasktypes._handbook_spans``); this module
keeps the handbook's names for it.
"""

from __future__ import annotations

from guidekit.tasktypes._handbook_spans import Span, highlight, spans_of

__all__ = ["Span", "highlight", "spans_of"]
