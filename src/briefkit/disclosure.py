"""The disclosure label a creator uses by default (FORMAT section 6).

This is the minimum the resolved view needs to fill `{disclosure.label}`: the
primary label per region and language. The full rules (placement, weak labels,
platform tools, sources) arrive as a reviewed data file with the disclosure
issue; until then unknown regions get the marked fallback "#ad".
"""

from __future__ import annotations

FALLBACK_LABEL = "#ad"

_LABEL_BY_REGION = {
    "US": "#ad",
    "GB": "#ad",
    "AU": "#ad",
    "DE": "Werbung",
    "AT": "Werbung",
    "FR": "Publicité",
}
_LABEL_BY_LANGUAGE = {"CA": {"fr": "#pub", "en": "#ad"}}


def default_label(region: str, locale: str) -> str:
    """`DE` → `Werbung`; in Canada the language decides: `#pub` in French, `#ad` in English."""
    language = locale.split("-")[0].lower()
    by_language = _LABEL_BY_LANGUAGE.get(region)
    if by_language:
        return by_language.get(language, by_language["en"])
    return _LABEL_BY_REGION.get(region, FALLBACK_LABEL)
