"""Two languages, English (``en``) and Chinese (``zh``): which one is in force, and the words in it.

The language comes from ``--lang zh|en`` (every command that prints, reports or draws has it), else
from the environment variable ``RURALSIM_LANG``, else from the locale (Chinese when ``LC_ALL``,
``LC_MESSAGES``, ``LANG`` or ``LANGUAGE`` starts with ``zh``, English otherwise). The words live in
one catalogue, :mod:`experiments.catalogue` (messages, parameter and scenario names), and in
:mod:`model.indicators` (every output's names, unit and definition); :func:`tr` and the
``*_label`` helpers read them. This module imports nothing heavy: the command line loads it
before the model.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from experiments import catalogue

LANGS = ("en", "zh")
LANG_ENV = "RURALSIM_LANG"
#: Locale variables read, in the order the C library gives them precedence.
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
#: Fonts for Chinese text in HTML, most specific first; the last resort is the browser's sans-serif.
CJK_FONT_STACK = ('"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
                  '"Hiragino Sans GB", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif')

_current: str | None = None


class LangError(ValueError):
    """A language that is not one of :data:`LANGS`."""


def check_lang(value: str, origin: str = "--lang") -> str:
    """``value`` as a language code (``zh-CN`` and ``ZH`` are ``zh``), or :class:`LangError`."""
    code = str(value).strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGS:
        raise LangError(f"{origin} is {value!r}; allowed: {' or '.join(LANGS)}")
    return code


def locale_lang(environ: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale is Chinese, else ``en``."""
    env = os.environ if environ is None else environ
    for var in LOCALE_VARS:
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """``$RURALSIM_LANG`` (checked) when set, else the locale's language."""
    env = os.environ if environ is None else environ
    value = env.get(LANG_ENV, "").strip()
    if value:
        return check_lang(value, origin=LANG_ENV)
    return locale_lang(env)


def set_lang(lang: str | None) -> str:
    """Make ``lang`` (None: :func:`default_lang`) the language of this process; returns it."""
    global _current
    _current = check_lang(lang) if lang is not None else default_lang()
    return _current


def current() -> str:
    """The language in force (set by :func:`set_lang`, else :func:`default_lang`)."""
    return _current if _current is not None else default_lang()


def resolve(lang: str | None) -> str:
    """``lang`` when given (checked), else the language in force."""
    return check_lang(lang) if lang is not None else current()


def tr(key: str, lang: str | None = None, **values: object) -> str:
    """The message ``key`` of the catalogue in ``lang``, with ``values`` filled in (``str.format``)."""
    en, zh = catalogue.MESSAGES[key]
    text = zh if resolve(lang) == "zh" else en
    return text.format(**values) if values else text


def pick(en: str, zh: str, lang: str | None = None) -> str:
    """One of two texts by language (for the few sentences built from parts)."""
    return zh if resolve(lang) == "zh" else en


def indicator_label(name: str, lang: str | None = None) -> str:
    """An output's short name (:mod:`model.indicators`); the name itself when it has none."""
    from model.indicators import INDICATORS

    ind = INDICATORS.get(name)
    return ind.label(resolve(lang)) if ind is not None else name


def outcome_label(name: str, lang: str | None = None) -> str:
    """A scalar outcome's plain name: the glossary's (:mod:`model.indicators`) for the model's outputs,
    the catalogue's (``outcome.NAME``) for the outcomes the commands derive, such as
    ``relapse_events_total``; the name in words when it has neither."""
    key = f"outcome.{name}"
    if key in catalogue.MESSAGES:
        return tr(key, lang)
    from model.indicators import INDICATORS

    ind = INDICATORS.get(name)
    return ind.label(resolve(lang)) if ind is not None else name.replace("_", " ").capitalize()


def parameter_label(path: str, lang: str | None = None, default: str | None = None) -> str:
    """A parameter's plain name by dotted path (:data:`experiments.catalogue.PARAMETER_NAMES`)."""
    names = catalogue.PARAMETER_NAMES.get(path)
    if names is None:
        return default if default is not None else path
    return names[1] if resolve(lang) == "zh" else names[0]


def scenario_label(name: str, lang: str | None = None, short: bool = False) -> str:
    """A scenario's name for readers: in Chinese its Chinese title with the name (``short``: the title
    alone), in English the name. Overlays ``a+b`` are labelled part by part."""
    if resolve(lang) != "zh":
        return name
    parts = [catalogue.SCENARIOS.get(p, (p, ""))[0] for p in name.split("+")]
    if parts == name.split("+"):
        return name
    return " + ".join(parts) if short else f"{' + '.join(parts)}（{name}）"


def scenario_story(name: str, description: str, lang: str | None = None) -> str:
    """A scenario's story: its Chinese summary in Chinese (shipped scenarios), else ``description``."""
    if resolve(lang) == "zh":
        parts = [catalogue.SCENARIOS[p][1] for p in name.split("+") if p in catalogue.SCENARIOS]
        if len(parts) == len(name.split("+")):
            return "\n\n".join(parts)
    return description


def month_name(month: int, lang: str | None = None) -> str:
    """``June`` / ``6月``."""
    return f"{month}月" if resolve(lang) == "zh" else catalogue.MONTHS_EN[month - 1]
