"""The label catalogues of the default theme: every language has every key (without
falling back to English), only known keys, the same placeholders, and the plural forms
its grammar needs; a regional variant is picked by the creator's region."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from babel import Locale

from briefkit.theme import catalogue_chain, default_theme_folder, load_theme

from .conftest import REPO

LABELS = default_theme_folder() / "labels"
FILES = sorted(p.stem for p in LABELS.glob("*.yaml"))
# Every language a brief can be written in; a regional variant (fr-CA, es-419) holds
# only the words that differ from its language's file.
SUPPORTED = ["en", "de", "fr", "fr-CA", "es", "es-419", "it", "nl", "pt", "pt-BR", "pl", "sv", "da", "nb",
             "fi", "cs", "tr", "ro", "el", "ja", "ko", "zh-Hans", "zh-Hant", "ar", "he", "hi", "id", "th",
             "vi", "uk"]


def messages(folder: Path, code: str) -> dict[str, object]:
    """One file, flattened, keeping plural groups ({"one": …, "other": …}) as one entry."""
    def flatten(tree: dict, prefix: str = "") -> dict[str, object]:
        flat: dict[str, object] = {}
        for key, value in tree.items():
            if isinstance(value, dict) and "other" not in value:
                flat |= flatten(value, f"{prefix}{key}.")
            else:
                flat[f"{prefix}{key}"] = value
        return flat
    path = folder / f"{code}.yaml"
    return flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


ENGLISH = messages(LABELS, "en")


def catalogue(folder: Path, tag: str) -> dict[str, object]:
    """What a brief in `tag` reads, without the English it would fall back to."""
    merged: dict[str, object] = {}
    for code in catalogue_chain(tag)[1:] if tag != "en" else ["en"]:
        merged |= messages(folder, code)
    return merged


def missing_keys(folder: Path, tag: str) -> list[str]:
    return sorted(ENGLISH.keys() - catalogue(folder, tag).keys())


def fields(message: object) -> set[str]:
    texts = message.values() if isinstance(message, dict) else [message]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(str(text)) if name}


@pytest.mark.parametrize("tag", SUPPORTED)
def test_every_language_has_every_key_without_english(tag: str) -> None:
    assert missing_keys(LABELS, tag) == []


@pytest.mark.parametrize("code", FILES)
def test_a_catalogue_holds_only_keys_the_english_one_has(code: str) -> None:
    assert sorted(messages(LABELS, code).keys() - ENGLISH.keys()) == []


def test_a_missing_key_fails_the_completeness_check(tmp_path: Path) -> None:
    """The test above is not vacuous: a German catalogue without one key is reported."""
    german = yaml.safe_load((LABELS / "de.yaml").read_text(encoding="utf-8"))
    del german["glance"]["title"]
    (tmp_path / "de.yaml").write_text(yaml.safe_dump(german, allow_unicode=True), encoding="utf-8")
    assert missing_keys(tmp_path, "de") == ["glance.title"]


@pytest.mark.parametrize("code", FILES)
def test_placeholders_match_english(code: str) -> None:
    for key, message in messages(LABELS, code).items():
        assert fields(message) == fields(ENGLISH[key]), key


@pytest.mark.parametrize("code", FILES)
def test_every_message_is_text(code: str) -> None:
    """YAML 1.1 reads an unquoted `No` or `Ja` as a boolean; every label must stay text."""
    for key, message in messages(LABELS, code).items():
        texts = message.values() if isinstance(message, dict) else [message]
        assert all(isinstance(text, str) and text.strip() for text in texts), key


@pytest.mark.parametrize("tag", SUPPORTED)
def test_plural_labels_have_every_form_the_language_has(tag: str) -> None:
    """CLDR's plural categories: one and other in English; one, few, many and other in
    Polish; zero to many and other in Arabic; other alone in Japanese."""
    needed = Locale.parse(tag, sep="-").plural_form.tags | {"other"}
    for key, message in catalogue(LABELS, tag).items():
        if isinstance(ENGLISH[key], dict):
            assert isinstance(message, dict) and needed <= message.keys(), (key, needed - set(message))


@pytest.mark.parametrize(("locale", "key", "text"), [
    ("fr-CA", "respond.accept", "Accepter par courriel"),  # fr-CA over fr
    ("fr-FR", "respond.accept", "Accepter par e-mail"),
])
def test_the_region_picks_its_variant(locale: str, key: str, text: str) -> None:
    assert load_theme(REPO, "default").labels(locale).text(key) == text


@pytest.mark.parametrize(("locale", "variant"), [
    ("es-MX", "es-419"), ("es-AR", "es-419"), ("pt-BR", "pt-BR"), ("pt-AO", "pt"), ("zh-TW", "zh-Hant"),
    ("zh-HK", "zh-Hant"), ("zh-CN", "zh-Hans"), ("zh-SG", "zh-Hans"), ("fr-CA", "fr-CA"),
])
def test_each_locale_reads_the_catalogue_of_its_variant(locale: str, variant: str) -> None:
    chain = [code for code in catalogue_chain(locale) if (LABELS / f"{code}.yaml").is_file()]
    assert chain[-1] == variant, chain
