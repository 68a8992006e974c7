"""Plain text of what a Textual app shows: for assertions that read like the screen."""

from __future__ import annotations

from textual.app import App


def screen_text(app: App[object]) -> str:
    """The current screen (with any modal on top) as lines of plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)
