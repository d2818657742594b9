"""Translations: Russian is shipped and the default; English (the source) for an English locale.
English's file holds only the plural forms ("1 company", "2 companies": lupdate -pluralonly),
the source text being the rest."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parents[2] / "resources" / "i18n"


def choose_language(locale: QLocale | None = None) -> str:
    forced = os.environ.get("LINEDESK_LANG", "").strip().lower()
    if forced in ("en", "ru"):
        return forced
    locale = locale or QLocale.system()
    return "en" if locale.language() == QLocale.Language.English else "ru"


_INSTALLED: list[QTranslator] = []
_LANGUAGE: list[str] = []  # what `install` put in last (none: Russian's dates and quotes)
_LOCALE: list[QLocale] = []  # the locale `install` made the default (its clock for English)


def english_locale(system: QLocale | None = None) -> QLocale:
    """The locale of an English interface: the system's own English (its clock: "10:32 AM"
    in the US, "10:32" in Britain), the US's when the system's is not English
    (LINEDESK_LANG=en, the Settings' language page)."""
    system = system or QLocale.system()
    return system if system.language() == QLocale.Language.English else QLocale("en_US")


def locale() -> QLocale:
    """The locale `install` made the default (Russia's when none is)."""
    return _LOCALE[-1] if _LOCALE else QLocale("ru_RU")


def current() -> str:
    """The language `install` put in ("ru" when none is: the program's default)."""
    return _LANGUAGE[-1] if _LANGUAGE else "ru"


def switch(app: QCoreApplication, language: str | None) -> None:
    """Another language from now on (the Settings' language page): the translators `install`
    put in are taken out and the new ones put in."""
    uninstall(app)
    install(app, language)


def uninstall(app: QCoreApplication) -> None:
    """Take out the translators `install` put in (the source text, English, shows)."""
    for old in _INSTALLED:
        app.removeTranslator(old)
    _INSTALLED.clear()
    _LANGUAGE.clear()


def install(app: QCoreApplication, language: str | None = None) -> list[QTranslator]:
    """Load linedesk_<lang>.qm (and Qt's own) into `app`; returns the translators to keep."""
    language = language or choose_language()
    chosen = english_locale() if language == "en" else QLocale("ru_RU")
    QLocale.setDefault(chosen)
    _LOCALE[:] = [chosen]
    kept: list[QTranslator] = []
    ours = QTranslator(app)
    if ours.load(str(I18N_DIR / f"linedesk_{language}.qm")):
        app.installTranslator(ours)
        kept.append(ours)
    qt = QTranslator(app)  # (none for English: Qt's source text)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        kept.append(qt)
    _INSTALLED.extend(kept)
    _LANGUAGE[:] = [language]
    return kept
