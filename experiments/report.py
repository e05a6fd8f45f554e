"""HTML reports: Jinja2 templates that share one stylesheet and one set of macros.

Every report a command writes (comparison, sensitivity study, scenario discovery, validation,
calibration) is a template in ``experiments/templates`` that extends ``base.html.j2`` (the page
and ``style.css``) and draws its tables and figures with the macros of ``macros.html.j2``. The
Python side hands the templates plain data; the words around the numbers live in the templates.

Values are escaped as :func:`html.escape` does (quotes too), so a report can be mailed and opened
offline without surprises; figures are embedded as base64 PNG by the ``png`` filter.

Languages: every report is rendered in a language (``lang``: ``en`` or ``zh``, by default the one
in force, :mod:`experiments.i18n`). The page carries ``lang`` and a CJK font stack; templates read
labels with ``t(key)`` from the catalogue, and a report whose prose differs by language has one
template per language, ``NAME.zh.html.j2`` beside ``NAME.html.j2``.
"""

from __future__ import annotations

import base64
import functools
import html
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"


def render(template: str, lang: str | None = None, **context: Any) -> str:
    """The text of ``template`` (a name in ``experiments/templates``) with ``context``, in ``lang``
    (None: the language in force): ``NAME.zh.html.j2`` is used for Chinese where it exists."""
    from experiments.i18n import resolve, tr

    lang = resolve(lang)
    if lang != "en" and template.endswith(".html.j2"):
        localised = template[: -len(".html.j2")] + f".{lang}.html.j2"
        if (TEMPLATES / localised).exists():
            template = localised
    context.setdefault("glossary_link", False)
    return _environment().get_template(template).render(
        lang=lang, t=lambda key, **values: tr(key, lang, **values), **context)


def write_report(path: Path, template: str, lang: str | None = None, **context: Any) -> Path:
    """Render ``template`` into the file ``path`` (in ``lang``, None: the language in force)."""
    path = Path(path)
    path.write_text(render(template, lang=lang, **context), encoding="utf-8")
    return path


@functools.cache
def _environment() -> Any:
    import jinja2
    from markupsafe import Markup

    def finalize(value: Any) -> Any:
        # html.escape's entities (&quot; &#x27;) rather than markupsafe's, and None as an empty cell
        if value is None:
            return ""
        return value if isinstance(value, Markup) else Markup(html.escape(str(value), quote=True))

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, finalize=finalize,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=False)
    env.filters.update(percent=percent, number=number, png=png_data)
    env.globals["stylesheet"] = Markup((TEMPLATES / "style.css").read_text(encoding="utf-8"))
    return env


def percent(x: Any, digits: int = 0) -> str:
    """A share as a percentage (``0.125`` -> ``'13%'``); ``n/a`` when it is not a finite number."""
    if isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        return "n/a"
    return f"{x * 100:.{digits}f}%"


def number(x: Any, digits: int = 3) -> str:
    """A number for a table: thousands separators from 1,000 on, ``digits`` significant digits below;
    flags as yes/no, a missing value as an empty cell."""
    if x is None:
        return ""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float | int):
        if not math.isfinite(x):
            return "n/a"
        return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.{digits}g}"
    return str(x)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table (for the reports that come as Markdown beside their HTML)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in r) + " |")
    return "\n".join(lines)


def png_data(path: Path) -> str:
    """A PNG file as a ``data:`` URI, so that the report carries its figures."""
    return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode("ascii")
