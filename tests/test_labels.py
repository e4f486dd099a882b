"""The label catalogues of the default theme: every language has every key, the same
placeholders, and the plural forms its grammar needs."""

from __future__ import annotations

import string

import pytest
import yaml
from babel import Locale

from briefkit.theme import default_theme_folder

LABELS = default_theme_folder() / "labels"
LANGUAGES = sorted(p.stem for p in LABELS.glob("*.yaml") if "-" not in p.stem and p.stem != "en")
VARIANTS = sorted(p.stem for p in LABELS.glob("*-*.yaml"))
SHIPPED = {"en", "de", "fr", "es", "it", "pt", "nl"}


def messages(code: str) -> dict[str, object]:
    """Flattened, keeping plural groups ({"one": …, "other": …}) as one entry."""
    def flatten(tree: dict, prefix: str = "") -> dict[str, object]:
        flat: dict[str, object] = {}
        for key, value in tree.items():
            if isinstance(value, dict) and "other" not in value:
                flat |= flatten(value, f"{prefix}{key}.")
            else:
                flat[f"{prefix}{key}"] = value
        return flat
    return flatten(yaml.safe_load((LABELS / f"{code}.yaml").read_text(encoding="utf-8")))


def fields(message: object) -> set[str]:
    texts = message.values() if isinstance(message, dict) else [message]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(str(text)) if name}


ENGLISH = messages("en")


def test_the_promised_languages_ship() -> None:
    assert SHIPPED <= {"en", *LANGUAGES}
    assert "fr-CA" in VARIANTS


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_has_every_key_and_no_other(code: str) -> None:
    own = messages(code)
    assert sorted(ENGLISH.keys() - own.keys()) == [], "missing"
    assert sorted(own.keys() - ENGLISH.keys()) == [], "unknown"


@pytest.mark.parametrize("code", ["en", *LANGUAGES, *VARIANTS])
def test_placeholders_match_english(code: str) -> None:
    for key, message in messages(code).items():
        assert fields(message) == fields(ENGLISH[key]), key


@pytest.mark.parametrize("code", ["en", *LANGUAGES, *VARIANTS])
def test_every_message_is_text(code: str) -> None:
    """YAML 1.1 reads an unquoted `No` or `Ja` as a boolean; every label must stay text."""
    for key, message in messages(code).items():
        texts = message.values() if isinstance(message, dict) else [message]
        assert all(isinstance(text, str) and text.strip() for text in texts), key


@pytest.mark.parametrize("code", ["en", *LANGUAGES])
def test_plural_labels_have_the_forms_the_language_needs(code: str) -> None:
    needed = {"one", "other"} & (Locale.parse(code).plural_form.tags | {"other"})
    for key, message in messages(code).items():
        if isinstance(ENGLISH[key], dict):
            assert isinstance(message, dict) and needed <= message.keys(), key


@pytest.mark.parametrize("code", VARIANTS)
def test_regional_variants_only_override_known_keys(code: str) -> None:
    assert sorted(messages(code).keys() - ENGLISH.keys()) == []
