"""Fonts for figures in Chinese: Noto Sans CJK SC, shipped by the ``mplfonts`` package.

matplotlib's own font (DejaVu Sans) has no Chinese glyphs: Chinese text came out as empty boxes.
The project depends on ``mplfonts`` (MIT), which installs Noto Sans CJK SC (SIL Open Font Licence)
with the Python packages, so no font has to be installed by hand. :func:`figure_fonts` registers
it with matplotlib the first time a figure is drawn (never when the simulation is imported) and
gives the font families of a figure in a language: Noto Sans CJK SC first for Chinese (it has
Latin letters and digits too), DejaVu Sans first for English with Noto as the fallback, so that a
Chinese scenario name or a term such as 急刹车 in an English figure still renders.

Only the Noto file is registered: the package also ships SimHei, whose licence does not allow
redistribution, and ruralsim never uses it.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path

#: The font file of mplfonts used for Chinese, and the family name it registers.
CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FAMILY = "Noto Sans CJK SC"
LATIN_FAMILY = "DejaVu Sans"


class FontError(RuntimeError):
    """The Chinese font is not installed (the ``mplfonts`` dependency is missing)."""


def cjk_font_path() -> Path:
    """Path of Noto Sans CJK SC inside the installed ``mplfonts`` package."""
    try:
        import mplfonts
    except ImportError as exc:  # a broken installation: say what to do
        raise FontError("the package mplfonts (Noto Sans CJK SC for Chinese figures) is not installed; "
                        "reinstall ruralsim with its dependencies (uv sync)") from exc
    path = Path(mplfonts.__file__).resolve().parent / "fonts" / CJK_FONT_FILE
    if not path.is_file():
        raise FontError(f"{path} is missing from the mplfonts package; reinstall it (uv sync --reinstall-package "
                        "mplfonts)")
    return path


@functools.cache
def register_cjk_font() -> str:
    """Register Noto Sans CJK SC with matplotlib (once per process); returns its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(cjk_font_path()))
    return CJK_FAMILY


def families(lang: str) -> list[str]:
    """Font families of a figure in ``lang``, most preferred first (glyphs fall back along the list)."""
    cjk = register_cjk_font()
    return [cjk, LATIN_FAMILY] if lang == "zh" else [LATIN_FAMILY, cjk]


@contextlib.contextmanager
def figure_fonts(lang: str | None = None) -> Iterator[None]:
    """Within the block, figures created and drawn use the fonts of ``lang`` (None: the language
    in force). matplotlib's other settings are left alone."""
    import matplotlib

    from experiments.i18n import resolve

    with matplotlib.rc_context({"font.family": families(resolve(lang))}):
        yield
