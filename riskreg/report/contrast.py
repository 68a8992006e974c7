"""Text colour on a coloured fill, by WCAG 2.1's contrast ratio.

The matrix's level colours are the organisation's configuration, so the text on them is
chosen, not fixed: ``ink_on`` gives black or white, whichever contrasts more. One of the two
always reaches at least 4.58:1 (above WCAG's 4.5:1 for normal text), whatever the fill.
"""

from __future__ import annotations

BLACK = "#000000"
WHITE = "#ffffff"
AA_NORMAL = 4.5  # WCAG 2.1 AA, normal-size text


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    return BLACK if contrast(BLACK, fill) >= contrast(WHITE, fill) else WHITE
