"""Fixtures of every test: English unless a test asks for another language.

The language of reports and printed summaries comes from ``--lang``, ``RURALSIM_LANG`` or the
locale (:mod:`experiments.i18n`); tests that compare English text must not depend on the locale of
the machine they run on, and a test that switches the language must not leak it to the next.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english_by_default(monkeypatch):
    import experiments.i18n as i18n

    monkeypatch.setenv(i18n.LANG_ENV, "en")
    i18n.set_lang(None)
    yield
    i18n.set_lang("en")
