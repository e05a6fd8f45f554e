"""The app's Chinese web font: Noto Sans CJK SC cut down to the characters the app can show.

A projector's browser may have no Chinese font, and the app must work offline, so the page
carries its own: the glyphs of every Chinese text of the catalogue, the glossary and the scenario
summaries (some 600 characters, about 220 kB as WOFF, instead of the 16 MB font), taken from the
font file of :mod:`experiments.fonts` with fontTools (a dependency of matplotlib) and embedded in
the page's style sheet as a ``data:`` URI. It is made once per server process, on first use.
"""

from __future__ import annotations

import base64
import functools
import io

#: Family name of the embedded font in the app's CSS.
FAMILY = "ruralsim CJK"


def app_texts() -> list[str]:
    """Every Chinese text the app can show."""
    from experiments import catalogue
    from model.indicators import INDICATORS, TERMS

    texts = [zh for _, zh in catalogue.MESSAGES.values()]
    texts += [zh for _, zh in catalogue.PARAMETER_NAMES.values()]
    texts += [t for pair in catalogue.SCENARIOS.values() for t in pair]
    texts += [i.zh + i.definition_zh for i in INDICATORS.values()]
    texts += [t.zh + t.definition_zh for t in TERMS.values()]
    return texts


def characters(texts: list[str]) -> str:
    """The distinct characters of ``texts`` with printable ASCII, sorted."""
    chars = {c for t in texts for c in t} | {chr(c) for c in range(32, 127)}
    return "".join(sorted(chars))


@functools.cache
def font_woff() -> bytes:
    """The subset font (WOFF) holding :func:`characters` of :func:`app_texts`."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from experiments.fonts import cjk_font_path

    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.layout_features = ["*"]
    font = TTFont(str(cjk_font_path()), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters(app_texts()))
    subsetter.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff"
    font.save(buf)
    return buf.getvalue()


@functools.cache
def font_face_css() -> str:
    """An ``@font-face`` rule declaring :data:`FAMILY` from the embedded font."""
    data = base64.b64encode(font_woff()).decode("ascii")
    return (f'@font-face {{ font-family: "{FAMILY}"; src: url(data:font/woff;base64,{data}) format("woff"); '
            "font-weight: 100 900; font-display: block; }")
