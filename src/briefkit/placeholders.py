"""Placeholders such as `{creator.slug}` in patterns and texts (docs/format.md, "Placeholders").

Substitution is plain text replacement, never template execution. Which
placeholders a field may use depends on where it stands: a discount code is one
per creator, so it cannot name a platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .model import Creator, bare_handle

PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)?)\}")

CREATOR_SCOPE = frozenset({"creator.handle", "creator.name", "creator.slug", "campaign.id"})
TEXT_SCOPE = CREATOR_SCOPE | {"disclosure.label"}
TRACKING_SCOPE = CREATOR_SCOPE | {"platform"}
DELIVERABLE_SCOPE = TEXT_SCOPE | {"platform", "deliverable.id"}
ALL = DELIVERABLE_SCOPE


def names_in(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def creator_values(campaign_id: str, creator: Creator) -> dict[str, str]:
    """Values of the creator-wide placeholders."""
    return values_of(campaign_id, creator.handle, creator.name, creator.slug)


def values_of(campaign_id: str, handle: str, name: str, slug: str) -> dict[str, str]:
    """Values of the creator-wide placeholders; the handle is written without its @."""
    return {"creator.handle": bare_handle(handle), "creator.name": name, "creator.slug": slug,
            "campaign.id": campaign_id}


def text_values(campaign_id: str, creator: Creator, label: str) -> dict[str, str]:
    """Values for text fields: the creator's, plus their own disclosure label."""
    return creator_values(campaign_id, creator) | {"disclosure.label": label}


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace every known placeholder; unknown ones stay as written (validation reports them)."""
    if "{" not in text:  # most texts: no need to search them
        return text
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
