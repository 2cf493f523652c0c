"""The CJK TrueType font every document is set in, embedded (subset) in the PDF.

reportlab embeds TrueType outlines only (Noto CJK's CFF outlines it cannot), so the font is
looked for in this order: ``$OHINSPECT_CJK_FONT`` (a path, optionally ``path#N`` for the N-th
face of a .ttc), a font shipped in ``resources/fonts/``, WenQuanYi Micro Hei from Debian's
``fonts-wqy-microhei``, then Windows' SimSun and Microsoft YaHei. None found → a clear
:class:`~ohinspect.errors.OHInspectError` naming what was tried.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr
from ohinspect.paths import resources_dir

FONT_ENV = "OHINSPECT_CJK_FONT"
#: the name documents use for the body font (registered once per process)
CJK_FONT = "OHInspectCJK"
#: a Latin/symbol font for the few characters the CJK font maps to an empty glyph
#: (WenQuanYi Micro Hei's ℃ has no outline: it would print as nothing)
FALLBACK_FONT = "OHInspectSymbols"
FONT_SUFFIXES = (".ttf", ".ttc")
FALLBACK_FILES = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
                  Path("C:/Windows/Fonts/segoeui.ttf"), Path("C:/Windows/Fonts/arial.ttf"))
#: what to print when neither font can draw a character (text then extracts as the substitute)
SUBSTITUTES = {"\u2103": "°C", "\u2109": "°F"}

LINUX_FONTS = (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),)
WINDOWS_FONT_NAMES = ("simsun.ttc", "msyh.ttc")


@dataclass(frozen=True)
class FontFile:
    path: Path
    subfont_index: int = 0


class FontNotFoundError(OHInspectError):
    """No usable CJK TrueType font: documents cannot be made."""


def _parse_env(value: str) -> FontFile:
    path, sep, index = value.strip().rpartition("#")
    if sep and index.isdigit():
        return FontFile(Path(path).expanduser(), int(index))
    return FontFile(Path(value.strip()).expanduser(), 0)


def _windows_fonts() -> list[Path]:
    roots = [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts", Path("C:/Windows/Fonts")]
    seen: list[Path] = []
    for root in roots:
        for name in WINDOWS_FONT_NAMES:
            p = root / name
            if p not in seen:
                seen.append(p)
    return seen


def font_candidates() -> list[FontFile]:
    """Where a font is looked for, best first (the environment override is not included)."""
    shipped = resources_dir() / "fonts"
    found: list[FontFile] = []
    if shipped.is_dir():
        found += [FontFile(p) for p in sorted(shipped.iterdir())
                  if p.suffix.lower() in FONT_SUFFIXES]
    found += [FontFile(p) for p in LINUX_FONTS]
    found += [FontFile(p) for p in _windows_fonts()]
    return found


def find_cjk_font() -> FontFile:
    """The font file to use. An explicit ``$OHINSPECT_CJK_FONT`` must exist (no silent fallback)."""
    env = os.environ.get(FONT_ENV, "").strip()
    if env:
        chosen = _parse_env(env)
        if not chosen.path.is_file():
            raise FontNotFoundError(tr("report.font.env_missing", env=FONT_ENV, path=chosen.path))
        return chosen
    candidates = font_candidates()
    for candidate in candidates:
        if candidate.path.is_file():
            return candidate
    tried = "; ".join(str(c.path) for c in candidates)
    raise FontNotFoundError(tr("report.font.none", env=FONT_ENV, tried=tried))


_lock = threading.Lock()
_registered: FontFile | None = None
_fallback: str | None = None


def register_cjk_font() -> str:
    """Register the CJK font with reportlab (once) and return its name, :data:`CJK_FONT`.

    ``<b>``/``<i>`` in paragraphs map to the same face (the CJK fonts have no bold face).
    """
    global _registered
    with _lock:
        if _registered is not None:
            return CJK_FONT
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        chosen = find_cjk_font()
        try:
            font = TTFont(CJK_FONT, str(chosen.path), subfontIndex=chosen.subfont_index)
        except (TTFError, OSError, IndexError, ValueError) as exc:
            raise FontNotFoundError(tr("report.font.unusable", path=chosen.path,
                                       index=chosen.subfont_index, reason=exc)) from exc
        pdfmetrics.registerFont(font)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(CJK_FONT, bold, italic, CJK_FONT)
        _register_fallback()
        _registered = chosen
        return CJK_FONT


def _register_fallback() -> None:
    global _fallback
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for path in FALLBACK_FILES:
        if path.is_file():
            try:
                pdfmetrics.registerFont(TTFont(FALLBACK_FONT, str(path)))
            except (TTFError, OSError, IndexError, ValueError):
                continue
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FALLBACK_FONT, bold, italic, FALLBACK_FONT)
            _fallback = FALLBACK_FONT
            return


def _draws(font_name: str | None, ch: str) -> bool:
    """The font has a glyph with an outline for ``ch`` (not just a cmap entry)."""
    if font_name is None:
        return False
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font_name).face  # type: ignore[attr-defined]
    glyph = face.charToGlyph.get(ord(ch))
    if glyph is None:
        return False
    pos = face.glyphPos
    return glyph + 1 < len(pos) and pos[glyph + 1] > pos[glyph]


@lru_cache(maxsize=4096)
def _route(ch: str) -> str:
    """"main", "fallback", or the substitute text for one character."""
    if ch.isspace() or _draws(CJK_FONT, ch):
        return "main"
    if _draws(_fallback, ch):
        return "fallback"
    return SUBSTITUTES.get(ch, "main")


def markup(text: str) -> str:
    """Paragraph markup for ``text``: escaped, line breaks kept, and each character the CJK
    font cannot draw set in the fallback font (or replaced by its substitute)."""
    register_cjk_font()
    out: list[str] = []
    run: list[str] = []
    for ch in str(text):
        route = _route(ch)
        if route == "fallback":
            run.append(ch)
            continue
        if run:
            out.append(f'<font name="{FALLBACK_FONT}">{escape("".join(run))}</font>')
            run = []
        out.append(escape(ch) if route == "main" else escape(route))
    if run:
        out.append(f'<font name="{FALLBACK_FONT}">{escape("".join(run))}</font>')
    return "".join(out).replace("\n", "<br/>")


def plain(text: str) -> str:
    """``text`` for drawing in the CJK font alone (canvas strings): substitutes applied."""
    register_cjk_font()
    out = []
    for ch in str(text):
        route = _route(ch)
        out.append(ch if route == "main" else SUBSTITUTES.get(ch, ch) if route == "fallback"
                   else route)
    return "".join(out)


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that neither the CJK font nor the fallback can draw (they would
    print as boxes or as nothing) and that have no substitute."""
    register_cjk_font()
    return {ch for ch in set(text)
            if _route(ch) == "main" and not ch.isspace() and not _draws(CJK_FONT, ch)}
