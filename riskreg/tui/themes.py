"""riskreg's themes: Textual's dark and light, and a high-contrast one for projectors.

The high-contrast theme uses pure black and white with saturated accents, no muted
greys, so text read over a shoulder or on a washed-out projector stays legible.
"""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="riskreg-hogkontrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaa00",
    error="#ff4040",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    boost="#262626",
    dark=True,
    text_alpha=1.0,
    variables={
        "text-muted": "#ffffff",
        "block-cursor-background": "#ffff00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": "#444444",
        "footer-key-foreground": "#ffff00",
        "footer-description-foreground": "#ffffff",
        "input-selection-background": "#ffff00 50%",
        "border": "#ffffff",
    },
)

# (theme name, Swedish name) in the order F2 cycles through them.
THEMES: tuple[tuple[str, str], ...] = (
    ("textual-dark", "Mörkt"),
    ("textual-light", "Ljust"),
    (HIGH_CONTRAST.name, "Hög kontrast"),
)


def theme_label(name: str) -> str:
    return next((label for theme, label in THEMES if theme == name), name)


def next_theme(name: str) -> str:
    names = [n for n, _ in THEMES]
    index = names.index(name) if name in names else -1
    return names[(index + 1) % len(names)]
