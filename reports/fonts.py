"""The fonts the PDFs embed (shipped in resources/fonts/) and the font that draws each run of text.

- DejaVu Sans, regular and bold: Latin, Greek, Cyrillic, Hebrew, Arabic (presentation forms), arrows and
  mathematical signs. It draws every character that both of its weights have.
- Droid Sans Fallback: Chinese, Japanese and Korean (all of CJK Unified Ideographs, kana and Hangul).
- Symbola, cut down to symbols, dingbats and emoji: emoji drawn in monochrome.

A character none of them has is drawn as the visible marker U+FFFD (�), never as an empty box; invisible
joiners and emoji variation or skin-tone selectors are dropped (a monochrome font has nothing to draw for
them). Each font's own character map (reportlab's TTFont face) decides, so what is printed is what the font
holds.

Right-to-left text is put into visual order before layout: Arabic letters are joined into their contextual
forms (arabic-reshaper) and the text is ordered by the Unicode bidirectional algorithm (python-bidi) in a
left-to-right paragraph, as the documents are. A right-to-left passage long enough to wrap over several
lines is ordered as a whole, so its lines read from the bottom line up; anything that fits on a line reads
correctly.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources
from xml.sax.saxutils import escape

REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
CJK, EMOJI = "DroidSansFallback", "SymbolaEmoji"
FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", CJK: "DroidSansFallback.ttf",
         EMOJI: "Symbola-Emoji.ttf"}
FALLBACKS = (CJK, EMOJI)  # tried in this order for what DejaVu Sans does not have
MARKER = "\ufffd"
# Zero-width joiners and marks, variation selectors, emoji skin-tone modifiers and tag characters.
_DROPPED = frozenset([*range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF, *range(0xFE00, 0xFE10),
                      *range(0x1F3FB, 0x1F400), *range(0xE0000, 0xE0080), *range(0xE0100, 0xE01F0)])


def font_path(name: str) -> str:
    return str(resources.files("resources").joinpath("fonts", FILES[name]))


@functools.cache
def register() -> None:
    """Register the four fonts with reportlab (once); each fallback is its own family, so <b> keeps it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in FILES:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, font_path(name)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    for name in FALLBACKS:
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)


@functools.cache
def covered(name: str) -> frozenset[int]:
    """The code points the font's character map holds."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    register()
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):  # never: register() made every font of this module a TrueType font
        raise TypeError(f"{name} is not a TrueType font")
    return frozenset(font.face.charToGlyph)


@functools.cache
def _base() -> frozenset[int]:
    return covered(REGULAR) & covered(BOLD)


def font_for(char: str) -> str | None:
    """The font that draws the character: None for DejaVu Sans (the text's own font, regular or bold), a
    fallback's name, or "" when nothing has it (it is drawn as MARKER)."""
    code = ord(char)
    if code in _base():
        return None
    return next((name for name in FALLBACKS if code in covered(name)), "")


def visual(text: str) -> str:
    """Right-to-left runs shaped and put into display order; other text unchanged."""
    if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        return text
    from bidi import get_display

    if any(unicodedata.bidirectional(c) == "AL" for c in text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    return get_display(text, base_dir="L")  # the documents are left-to-right: RTL runs are ordered within them


def runs(text: str) -> list[tuple[str, str | None]]:
    """The text in display order as (run, font) pairs (font as in font_for, never ""); dropped characters
    removed and uncovered ones replaced by MARKER."""
    out: list[tuple[str, str | None]] = []
    for char in visual(text):
        if ord(char) in _DROPPED:
            continue
        font = font_for(char)
        if font == "":
            char, font = MARKER, None
        elif unicodedata.combining(char) and out and ord(char) in (_base() if out[-1][1] is None
                                                                      else covered(out[-1][1])):
            font = out[-1][1]  # a combining mark stays with its letter when that font has it
        if out and out[-1][1] == font:
            out[-1] = (out[-1][0] + char, font)
        else:
            out.append((char, font))
    return out


def markup(text: str) -> str:
    """reportlab paragraph markup for plain text: escaped, each fallback run inside <font name=...>."""
    return "".join(escape(run) if font is None else f'<font name="{font}">{escape(run)}</font>'
                   for run, font in runs(text))


def width(text: str, font: str, size: float) -> float:
    """The width of plain text drawn with draw()."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(run, fallback or font, size) for run, fallback in runs(text))


def draw(canvas, x: float, y: float, text: str, font: str, size: float) -> None:
    """Plain text drawn on a canvas from (x, y), each run in the font that has its characters."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for run, fallback in runs(text):
        canvas.setFont(fallback or font, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, fallback or font, size)
    canvas.setFont(font, size)


@functools.cache
def chart_fonts() -> None:
    """Charts draw with the same shipped fonts: matplotlib (3.6 and later) falls back glyph by glyph along the
    family list, so a CJK supplier name or an emoji in a chart title is drawn, not boxed."""
    from matplotlib import font_manager, rcParams

    names = []
    for name in (REGULAR, BOLD, CJK, EMOJI):
        font_manager.fontManager.addfont(font_path(name))
        family = font_manager.FontProperties(fname=font_path(name)).get_name()
        if family not in names:
            names.append(family)
    rcParams["font.family"] = names  # named families: matplotlib falls back along them glyph by glyph

