"""How a creator discloses the partnership (docs/disclosure.md), from the rules in rules/disclosure.yaml.

Validation, resolution and `lint-caption` share this module: which regions'
rules apply to a creator, which labels those regions accept in the creator's
language, the label the creator is given, how each kind of content carries it,
and what a draft caption gets wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from .diagnostics import listed
from .model import Campaign, Creator, locale_of, reading_tags
from .yamlfile import plain_data

RULES_FILE = Path(__file__).parent / "rules" / "disclosure.yaml"


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    unverified: bool = False  # the address could not be opened when the region was reviewed


@dataclass(frozen=True)
class Jurisdiction:
    """One region's rules as they apply to one creator."""

    region: str
    name: str
    authority: str
    accepted: tuple[str, ...]  # the first is the one briefkit suggests
    other_languages: tuple[str, ...]  # accepted in the region, but not in the creator's language
    weak: tuple[str, ...]
    requirements: tuple[str, ...]
    extra_labels: dict[str, str]  # e.g. retouched_images → "Images retouchées"
    sources: tuple[Source, ...]
    reviewed: dt.date
    fallback: bool  # no rules of its own: the marked common ground


@cache
def rules() -> dict[str, Any]:
    return plain_data(RULES_FILE.read_text(encoding="utf-8"))


def jurisdictions(region: str, audience_regions: list[str], locale: str, offer_type: str,
                  brand: str) -> list[Jurisdiction]:
    """The rules of the creator's region and audience regions, in that order, once each."""
    return [_jurisdiction(code, locale, offer_type, brand) for code in dict.fromkeys([region, *audience_regions])]


def creator_jurisdictions(campaign: Campaign, creator: Creator) -> list[Jurisdiction]:
    return jurisdictions(creator.region, creator.audience_regions, locale_of(campaign, creator),
                         campaign.offer.type, campaign.brand.name)


def creator_label(campaign: Campaign, applying: list[Jurisdiction]) -> str:
    """The campaign's own label when it has one (validation checks it), else the suggested one."""
    return campaign.disclosure.label or suggested_label(applying)


def creator_extra_labels(campaign: Campaign, applying: list[Jurisdiction]) -> list[str]:
    return extra_labels(applying, campaign.disclosure.retouched_images, campaign.disclosure.ai_generated)


def lint_for_creator(caption: str, campaign: Campaign, applying: list[Jurisdiction]) -> list[Finding]:
    creative = campaign.creative
    return lint_caption(caption, applying, hashtags=creative.hashtags, mentions=creative.mentions,
                        dont=creative.dont, extra=creator_extra_labels(campaign, applying))


@lru_cache(maxsize=4096)  # the same few regions for thousands of creators; a Jurisdiction is never changed
def _jurisdiction(code: str, locale: str, offer_type: str, brand: str) -> Jurisdiction:
    data = rules()["regions"].get(code)
    fallback = data is None
    if fallback:
        data = rules()["fallback"]
    by_language = data["labels"]
    chosen = [labels_language(by_language, locale)]
    if fallback and "en" not in chosen:  # a plain word in the creator's language first; English counts too
        chosen.append("en")

    def labels_in(lang: str) -> tuple[str, ...]:
        lists = by_language[lang]
        return _with_brand(lists.get("any", []) + lists.get(offer_type, []), brand)

    accepted = tuple(dict.fromkeys(label for lang in chosen for label in labels_in(lang)))
    others = tuple(label for lang in by_language if lang not in chosen for label in labels_in(lang))
    return Jurisdiction(
        region=code,
        name=data["name"],
        authority=data["authority"],
        accepted=accepted,
        other_languages=others,
        weak=_with_brand(data.get("weak", []), brand),
        requirements=tuple(data.get("requirements", [])),
        extra_labels=dict(data.get("extra_labels", {})),
        sources=tuple(Source(s["title"], s["url"], s.get("unverified", False)) for s in data["sources"]),
        reviewed=data["reviewed"],
        fallback=fallback,
    )


def labels_language(by_language: dict[str, Any], locale: str) -> str:
    """The language of a region's label lists that a creator writing in `locale` uses:
    theirs (pt-BR reads pt, zh-TW reads zh-Hant), else the region's first."""
    return next((tag for tag in reading_tags(locale) if tag in by_language), next(iter(by_language)))


def _with_brand(labels: list[str], brand: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(label.replace("{brand}", _hashtag_safe(brand, label)) for label in labels))


def _hashtag_safe(brand: str, label: str) -> str:
    """`#{brand}Partner` needs the brand without spaces; other labels keep it as written."""
    return re.sub(r"\W+", "", brand) if label.startswith("#") else brand


def suggested_label(applying: list[Jurisdiction]) -> str:
    """The label to give the creator: one that every region accepts, if their own region
    has one (`#ad` for US, GB and AU); otherwise their region's first label plus one for
    each region that refuses it (`#ad | Werbung` for a US creator with a German audience)."""
    own, others = applying[0], applying[1:]
    for label in own.accepted:
        if all(_same(label, j.accepted) for j in others):
            return label
    chosen = [own.accepted[0]]
    for jurisdiction in others:
        if not any(_same(label, jurisdiction.accepted) for label in chosen):
            chosen.append(jurisdiction.accepted[0])
    return " | ".join(chosen)


def refusing(label: str, applying: list[Jurisdiction]) -> list[Jurisdiction]:
    """The jurisdictions that do not accept `label` (one label, or several joined by " | ")."""
    return [j for j in applying if not _found_labels(label, j.accepted)]


def extra_labels(applying: list[Jurisdiction], retouched_images: bool, ai_generated: bool) -> list[str]:
    wanted = {"retouched_images": retouched_images, "ai_generated": ai_generated}
    return list(dict.fromkeys(text for j in applying for key, text in j.extra_labels.items()
                              if wanted.get(key)))


def _same(label: str, accepted: tuple[str, ...]) -> bool:
    return label.casefold() in {a.casefold() for a in accepted}


# --- how content carries the label --------------------------------------------


def content_kind(platform: str, format_: str) -> str:
    """story, live, audio, article, video or post: how a deliverable is published."""
    words = set(re.findall(r"\w+", format_.casefold()))
    for kind, keywords in rules()["format_kinds"].items():
        if words & set(keywords):
            return kind
    return rules()["platform_kinds"].get(platform, "post")


def for_content(applying: list[Jurisdiction], kinds: set[str]) -> list[Jurisdiction]:
    """The jurisdictions with only the requirements about the content the creator makes
    (`requirement_kinds`): a podcast gets no caption, hashtag or story rules."""
    scope = rules()["requirement_kinds"]
    return [replace(j, requirements=tuple(r for r in j.requirements if r not in scope or kinds & set(scope[r])))
            for j in applying]


def has_captions(kinds: set[str]) -> bool:
    """Whether some content has a caption that feeds cut before "more" (posts, videos)."""
    return bool(kinds & {"post", "video"})


def is_visual(kinds: set[str]) -> bool:
    """Whether some content has an image or video to put words on."""
    return bool(kinds & {"post", "video", "story", "live"})


def has_platform_tool(platform: str) -> bool:
    """Whether the platform has a disclosure tool of its own (named by the theme's labels)."""
    return platform in rules()["platform_tools"]


def visible_characters() -> int:
    return rules()["visible_characters"]


# --- linting a caption ------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    hint: str


def lint_caption(caption: str, applying: list[Jurisdiction], *, hashtags: list[str],
                 mentions: list[str], dont: list[str], extra: list[str]) -> list[Finding]:
    """What is wrong with `caption` for a creator under `applying`; empty when it is fine."""
    findings = []
    block_start = _trailing_tag_block_start(caption)
    limit = visible_characters()
    for jurisdiction in applying:
        findings += _label_findings(caption, jurisdiction, block_start, limit)
    for text in extra:
        if text.casefold() not in caption.casefold():
            findings.append(Finding("extra-label", f"“{text}” is missing",
                                    f"add “{text}” to the caption and on the image itself"))
    # One finding for all the missing hashtags, one for the mentions: a campaign may ask for many.
    if missing := [tag for tag in hashtags if not _tag_found(tag, caption)]:
        findings.append(Finding("hashtag", f"the required {_some('hashtag', missing)} missing",
                                f"add {listed(missing)}"))
    if missing := [mention for mention in mentions if not _tag_found(mention, caption)]:
        findings.append(Finding("mention", f"the required {_some('mention', missing)} missing",
                                f"add {listed(missing)}"))
    for phrase in forbidden_phrases(dont):
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", caption, re.IGNORECASE):
            findings.append(Finding("claim", f"“{phrase}” is a claim the brief rules out",
                                    f"remove “{phrase}”; see the brief's don'ts"))
    return findings


def _label_findings(caption: str, jurisdiction: Jurisdiction, block_start: int,
                    limit: int) -> list[Finding]:
    where = f"in {jurisdiction.region} ({jurisdiction.name})"
    suggestion = jurisdiction.accepted[0]
    found = _found_labels(caption, jurisdiction.accepted)
    if not found:
        wrong_language = _found_labels(caption, jurisdiction.other_languages)
        if wrong_language:
            label = wrong_language[0][1]
            return [Finding("language", f"“{label}” is not the label for your language {where}",
                            f"start the caption with “{suggestion}”")]
        weak = _found_labels(caption, jurisdiction.weak)
        if weak:
            return [Finding("weak-label", f"“{weak[0][1]}” does not count as disclosure {where}",
                            f"start the caption with “{suggestion}” (accepted: {', '.join(jurisdiction.accepted)})")]
        return [Finding("no-label", f"no disclosure label that counts {where}",
                        f"start the caption with “{suggestion}” (accepted: {', '.join(jurisdiction.accepted)})")]
    first_position, first_label = found[0]
    if all(position >= block_start for position, _ in found):
        return [Finding("buried", f"“{first_label}” is only in the hashtags at the end",
                        f"move “{first_label}” to the very start of the caption")]
    if first_position >= limit:
        return [Finding("late", f"“{first_label}” starts at character {first_position + 1}; "
                                f"feeds show only about the first {limit} before “more”",
                        f"move “{first_label}” to the very start of the caption")]
    return []


def _found_labels(text: str, labels: tuple[str, ...]) -> list[tuple[int, str]]:
    """Where labels occur as labels: a hashtag anywhere; a word at the very start, or set
    apart by punctuation elsewhere (so "an ad I saw" is not a label)."""
    found = []
    for label in labels:
        escaped = re.escape(label)
        if label.startswith("#"):
            patterns = [rf"(?<![\w#])({escaped})(?!\w)"]
        else:
            patterns = [rf"^[^\w#@]*({escaped})(?!\w)",
                        rf"[\n|•·:(\[\-–—]\s*({escaped})(?=\s*(?:$|[\n|•·:)\]\-–—.!,]))"]
        for pattern in patterns:
            for match in re.finditer(pattern, text, re.IGNORECASE):
                found.append((match.start(1), match.group(1)))
    return sorted(set(found))


def _trailing_tag_block_start(caption: str) -> int:
    """Where the run of hashtags and mentions that ends the caption begins (len when none)."""
    match = re.search(r"(?:[#@][^\s#@]+\s*)+$", caption)
    if not match:
        return len(caption)
    # A caption that is nothing but tags has no block "at the end".
    return match.start() if caption[:match.start()].strip() else len(caption)


def _tag_found(tag: str, caption: str) -> bool:
    if tag.casefold() not in caption.casefold():  # most tags of a long list: no pattern needed
        return False
    return re.search(rf"(?<![\w#@]){re.escape(tag)}(?!\w)", caption, re.IGNORECASE) is not None


def _some(noun: str, items: list[str]) -> str:
    """`hashtag #a is`, `hashtags #a, #b are`."""
    return f"{noun} {items[0]} is" if len(items) == 1 else f"{noun}s {listed(items)} are"


def forbidden_phrases(dont: list[str]) -> list[str]:
    """Phrases quoted in the don'ts: `Make medical claims ("cures", "heals")` → cures, heals."""
    return list(dict.fromkeys(phrase.strip() for item in dont
                              for phrase in re.findall(r"[\"“„«]([^\"”“«»]+)[\"”“»]", item) if phrase.strip()))
