"""The glossary: every output and every policy lever with its unit, Chinese name and meaning.

One source of truth each: outputs from :mod:`model.indicators` (the table beside
:mod:`model.metrics`), levers from ``model.params.parameter_table()`` (unit, range, default and
the English meaning of each ``Params`` field) with their plain and Chinese names from
:data:`experiments.catalogue.PARAMETER_NAMES`, terms (formerly poor, dibao, three guarantees...)
from :data:`model.indicators.TERMS`. Shown by ``ruralsim outputs [NAME]``, written as
``glossary.html`` beside every report (which links to it) and used for the app's tooltips.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from experiments import catalogue
from experiments.i18n import resolve, tr
from model.indicators import INDICATORS, TERMS, UNITS

#: File name of the glossary written beside a report.
GLOSSARY_FILE = "glossary.html"


@dataclass(frozen=True)
class Entry:
    """One glossary entry: an output, a lever or a term, in one language."""

    kind: str  # "output", "lever" or "term"
    name: str
    en: str
    zh: str
    unit: str
    definition: str
    where: str = ""  # tables (outputs), range and default (levers)

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@functools.cache
def _lever_rows() -> tuple[dict[str, Any], ...]:
    from model.params import parameter_table

    return tuple(r for r in parameter_table() if r["lever"])


def lever_paths() -> list[str]:
    """Dotted paths of the policy levers of ``Params`` (dated schedules)."""
    return [r["path"] for r in _lever_rows()]


def _lever_unit(unit: str, lang: str) -> str:
    if lang != "zh":
        return unit
    words = {"share of 2020 level": "2020年水平的倍数", "share of cost": "费用比例", "flag (0/1)": "开关（0/1）",
             "share": "比例", "yuan/person/year": "元/人/年", "probability/county/month": "概率/县/月",
             "share/year": "比例/年", "index": "指数", "multiplier": "倍数", "index (2019 = 1)": "指数（2019年=1）",
             "extra share of budget": "预算额外比例", "share of campaign level": "脱贫攻坚水平的倍数",
             "share of registered-poor households/year": "占建档立卡贫困户比例/年",
             "yuan/person/year (current)": "元/人/年（现价）"}
    return words.get(unit, unit)


def outputs(lang: str | None = None) -> list[Entry]:
    lang = resolve(lang)
    return [Entry("output", i.name, i.en, i.zh, i.unit(lang), i.definition(lang),
                  ", ".join(tr(f"table.{t}", lang) for t in i.tables)) for i in INDICATORS.values()]


def levers(lang: str | None = None) -> list[Entry]:
    lang = resolve(lang)
    out = []
    for r in _lever_rows():
        en, zh = catalogue.PARAMETER_NAMES.get(r["path"], (r["doc"].rstrip("."), ""))
        default = r["default"]
        where = f"{r['lo']:g}–{r['hi']:g}; {tr('glossary.default', lang)} {default}"
        out.append(Entry("lever", r["path"], en, zh, _lever_unit(r["unit"], lang), r["doc"], where))
    return out


def terms(lang: str | None = None) -> list[Entry]:
    lang = resolve(lang)
    return [Entry("term", t.name, t.en, t.zh, "", t.definition(lang)) for t in TERMS.values()]


def entries(lang: str | None = None) -> list[Entry]:
    """Terms, outputs and levers, in that order."""
    return [*terms(lang), *outputs(lang), *levers(lang)]


def find(name: str, lang: str | None = None) -> Entry | None:
    """The entry called ``name`` (an output, a lever's dotted path or a term), or None.

    A term and an output may share a name (``three_excesses``): the output wins.
    """
    by_name: dict[str, Entry] = {}
    for e in entries(lang):
        by_name.setdefault(e.name, e) if e.kind == "term" else by_name.__setitem__(e.name, e)
    return by_name.get(name.strip())


def closest(name: str, n: int = 3) -> list[str]:
    names = [*TERMS, *INDICATORS, *lever_paths()]
    return difflib.get_close_matches(name.strip(), names, n=n, cutoff=0.6)


def tooltip(name: str, lang: str | None = None) -> str:
    """``label: definition (unit)`` of an output, a lever or a term, for a tooltip; '' if unknown."""
    e = find(name, lang)
    if e is None:
        return ""
    lang = resolve(lang)
    unit = f" ({e.unit})" if e.unit and lang != "zh" else (f"（{e.unit}）" if e.unit else "")
    return f"{e.label(lang)}: {e.definition}{unit}" if lang != "zh" else f"{e.label(lang)}：{e.definition}{unit}"


def describe(name: str, lang: str | None = None) -> str:
    """Several lines on one entry (``ruralsim outputs NAME``); raises KeyError when unknown."""
    lang = resolve(lang)
    e = find(name, lang)
    if e is None:
        raise KeyError(name)
    lines = [f"{e.name}", f"  {tr('glossary.english', lang)}: {e.en}", f"  {tr('glossary.chinese', lang)}: {e.zh}"]
    if e.unit:
        lines.append(f"  {tr('glossary.unit', lang)}: {e.unit}")
    if e.kind == "output":
        lines.append(f"  {tr('glossary.tables', lang)}: {e.where}")
    if e.kind == "lever":
        lines.append(f"  {tr('glossary.range', lang)}: {e.where}")
    lines.append(f"  {tr('glossary.meaning', lang)}: {e.definition}")
    return "\n".join(lines)


def listing(lang: str | None = None) -> str:
    """The whole glossary as text: outputs (name, unit, label), then levers, then terms."""
    lang = resolve(lang)
    outs = outputs(lang)
    width = max(len(e.name) for e in outs)
    lines = [tr("cli.outputs_header", lang), ""]
    lines += [f"  {e.name:<{width}}  {e.label(lang)} [{e.unit}]" for e in outs]
    lev = levers(lang)
    width = max(len(e.name) for e in lev)
    lines += ["", tr("cli.levers_header", lang), ""]
    lines += [f"  {e.name:<{width}}  {e.label(lang)} [{e.unit}]" for e in lev]
    lines += ["", tr("cli.terms_header", lang), ""]
    lines += [f"  {e.name:<20}  {e.label(lang)}" for e in terms(lang)]
    return "\n".join(lines)


def write_glossary(directory: Path, lang: str | None = None) -> Path:
    """Write :data:`GLOSSARY_FILE` (all entries, in ``lang``) into ``directory``."""
    from experiments.report import write_report

    lang = resolve(lang)
    sections = [(tr("glossary.terms", lang), terms(lang)), (tr("glossary.outputs", lang), outputs(lang)),
                (tr("glossary.levers", lang), levers(lang))]
    return write_report(Path(directory) / GLOSSARY_FILE, "glossary.html.j2", lang=lang, sections=sections,
                        units=UNITS)
