"""Themes: a workspace theme overrides the default file by file; errors name the template and line."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from briefkit.model import LANGUAGE_TAG
from briefkit.theme import default_theme_folder, load_theme

from .conftest import REPO, parse_html, run_briefkit, run_briefkit_process


def own_theme(workspace: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = workspace / "themes/brand" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (workspace / "briefkit.yaml").write_text("theme: brand\n")


def test_a_theme_overrides_one_template_and_keeps_the_rest(workspace: Path) -> None:
    own_theme(workspace, {"templates/sections/review.html": "<section><h2>OUR OWN REVIEW</h2></section>\n"})
    result = run_briefkit("build", "--no-pdf", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    text = parse_html(workspace / "output/launch/ben-brews/index.html").text
    assert "OUR OWN REVIEW" in text and "Review rounds" not in text
    assert "Your offer" in text  # every other section from the default theme


def test_labels_are_overridden_key_by_key(workspace: Path) -> None:
    own_theme(workspace, {"labels/en.yaml": "section:\n  offer: What you get\n"})
    theme = load_theme(workspace, "brand")
    labels = theme.labels("en-GB")
    assert labels.text("section.offer") == "What you get"
    assert labels.text("section.deliverables") == "What to publish"  # from the default theme
    assert str(labels("brief.for", name="<b>Ann</b>")) == "Prepared for &lt;b&gt;Ann&lt;/b&gt;"


def test_the_default_theme_is_the_last_folder_of_the_chain(workspace: Path) -> None:
    assert load_theme(workspace, "default").folders == (default_theme_folder(),)
    own_theme(workspace, {"css/brief.css": "body { color: red }\n"})
    theme = load_theme(workspace, "brand")
    assert theme.folders == (workspace / "themes/brand", default_theme_folder())
    assert theme.find("css/brief.css") == workspace / "themes/brand/css/brief.css"
    assert theme.find("css/print.css") == default_theme_folder() / "css/print.css"


@pytest.mark.parametrize(("template", "error"), [
    ("<p>fine</p>\n{% if brief.title %}\n<p>{{ brief.title }</p>\n", ":3:1: error: the theme's template failed: unexpected '}'"),
    ("<p>fine</p>\n\n<p>{{ brief.no_such_field }}</p>\n", ":3:1: error: the theme's template failed: UndefinedError"),
])
def test_template_errors_name_the_file_and_line(workspace: Path, template: str, error: str) -> None:
    own_theme(workspace, {"templates/sections/offer.html": template})
    result = run_briefkit("build", "--no-pdf", "--workspace", str(workspace))
    assert result.returncode == 1
    assert f"themes/brand/templates/sections/offer.html{error}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (workspace / "output").exists()


def test_the_wheel_ships_the_default_theme(tmp_path: Path, workspace: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path / "dist"), str(REPO)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("briefkit-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "installed")
    shipped = {str(p.relative_to(REPO / "themes")).replace(os.sep, "/")
               for p in (REPO / "themes/default").rglob("*") if p.is_file()}
    assert {f"briefkit/themes/{name}" for name in shipped} <= names
    assert "briefkit/rules/disclosure.yaml" in names
    # The installed package finds its theme and builds without the source tree.
    env = os.environ | {"PYTHONPATH": str(tmp_path / "installed")}
    result = subprocess.run([sys.executable, "-c", "import briefkit.theme as t; print(t.default_theme_folder())"],
                            capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert result.stdout.strip() == str(tmp_path / "installed/briefkit/themes/default")
    built = run_briefkit_process("build", "--no-pdf", "--workspace", str(workspace), env=env)
    assert built.returncode == 0, built.stderr


def _babel_has(tag: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


def test_a_brief_is_in_the_creators_language_or_wholly_in_english() -> None:
    """The rule of `Theme.page_locale`, checked for every locale CLDR has (so that it
    holds whichever English variants the installed Babel knows): the creator's own
    locale when the theme speaks its language; else English with the creator's
    region's conventions when CLDR has that variant; else plain English."""
    from babel import localedata
    from babel.core import parse_locale

    theme = load_theme(REPO, "default")
    tags = [i.replace("_", "-") for i in localedata.locale_identifiers()]
    checked = 0
    for tag in [t for t in tags if LANGUAGE_TAG.fullmatch(t)]:  # what validation lets through
        language, region, _, _ = parse_locale(tag, sep="-")
        page = theme.page_locale(tag)
        assert _babel_has(page), (tag, page)
        if language in theme.languages:
            assert page == tag
        elif region and _babel_has(f"en-{region}"):
            assert page == f"en-{region}", tag
        else:
            assert page == "en", tag
        checked += 1
    assert checked > 700


@pytest.mark.parametrize(("locale", "page"), [
    ("de-DE", "de-DE"), ("fr-CA", "fr-CA"), ("de-CH", "de-CH"), ("pt-BR", "pt-BR"),
    ("ca-ES", "en-ES"), ("sv-SE", "sv-SE"), ("xx-DE", "en-DE"), ("tlh", "en"), ("de-XX", "en"), ("tlh-XX", "en"),
])
def test_page_locales_that_any_cldr_gives_alike(locale: str, page: str) -> None:
    assert load_theme(REPO, "default").page_locale(locale) == page


def test_a_theme_adds_a_language_with_one_file(workspace: Path) -> None:
    own_theme(workspace, {"labels/ca.yaml": "section:\n  offer: La teva oferta\n"})
    theme = load_theme(workspace, "brand")
    assert theme.page_locale("ca-ES") == "ca-ES"
    assert theme.labels("ca-ES").text("section.offer") == "La teva oferta"
    assert theme.labels("ca-ES").text("section.contact") == "Contact"  # missing keys fall back to English


@pytest.mark.parametrize(("locale", "count", "text"), [
    ("en", 1, "1 day"), ("en", 2, "2 days"), ("en", 0, "0 days"),
    ("de-DE", 1, "1 Tag"), ("de-DE", 1000, "1.000 Tage"),
    ("fr-FR", 0, "0 jour"), ("fr-FR", 1, "1 jour"), ("fr-FR", 2, "2 jours"),
    ("fr-FR", 1_000_000, "1\u202f000\u202f000 de jours"),  # CLDR's "many": a round million
    ("pl-PL", 1, "1 dzień"), ("pl-PL", 2, "2 dni"), ("pl-PL", 5, "5 dni"),
    ("ar-EG", 2, "2 يومان"), ("ja-JP", 3, "3日間"),
])
def test_plural_labels_follow_the_languages_rules(locale: str, count: int, text: str) -> None:
    labels = load_theme(REPO, "default").labels(locale)
    assert labels.text("usage_rights.days", count=count) == text
