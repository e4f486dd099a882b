"""`briefkit diff`'s words: each change as a reviewer reads it, and three ways of
saying what changed: text for a terminal, Markdown for a pull-request comment,
JSON for programs (documented in docs/ci.md)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from .diagnostics import escape_controls, format_key_path
from .diff import Change, CampaignDiff, CreatorDiff, DiffResult, Json, Key
from .model import is_language_tag
from .revisions import Revision

DIFF_FORMAT_VERSION = 1


# --- one change in words ---------------------------------------------------------


NAMES = {
    "offer.fee": "fee", "offer.commission_percent": "commission", "offer.type": "offer type",
    "offer.product": "product", "offer.product.name": "product", "offer.payment_terms": "payment terms",
    "creative.freedom": "creative freedom", "creative.do": "do's", "creative.dont": "don'ts",
    "creative.example_captions": "example captions", "disclosure.label": "disclosure label",
    "disclosure.regions": "disclosure rules for", "disclosure.extra_labels": "extra disclosure labels",
    "disclosure.notes": "disclosure notes", "disclosure.ai_generated": "AI-generated images",
    "tracking.landing_page": "landing page", "tracking.discount_code": "discount code",
    "respond_by": "respond by", "brand.logo": "logo", "brand.logo.path": "logo",
    "brand.logo.content": "logo",
}
DELIVERABLE_FIELDS = {"live": "go-live", "draft_due": "draft due", "collab_post": "collab post"}
UNITS = {"commission_percent": "%"}
LONG_TEXT = 80  # longer texts are reported as changed, not quoted


def name_of(key: Key, quote: Callable[[str], str] = str) -> str:
    """A view key in a reviewer's words: `deliverables.ig-reel.live` → `ig-reel go-live`.
    `quote` marks the parts that are free text (an asset's path); the others are words
    the format allows (field names, platforms, language tags) or slugs."""
    dotted = ".".join(key)
    if dotted in NAMES:
        return NAMES[dotted]
    if len(key) > 1 and is_language_tag(key[-1]):  # one language of a text in several
        return f"{name_of(key[:-1], quote)} ({key[-1]})"
    head, rest = key[0], list(key[1:])
    if head == "deliverables" and rest:
        fields = [DELIVERABLE_FIELDS.get(f, f.replace("_", " ")) for f in rest[1:]]
        return " ".join([rest[0], *fields]) if fields else f"deliverable {rest[0]}"
    if head == "assets" and rest:
        return f"asset {quote(rest[0])}" + (" " + " ".join(rest[1:]) if rest[1:] else "")
    if head == "tracking" and rest[:1] == ["links"] and len(rest) > 1:
        return f"{rest[1]} tracking link"
    if head == "tracking" and rest[:1] == ["utm"] and len(rest) > 1:
        return f"utm_{rest[1]}"
    if head == "creator" and rest[:1] == ["platforms"]:
        rest = rest[1:]
    words = rest if head in ("creator", "creative", "offer") and rest else [head, *rest]
    return " ".join(w.replace("_", " ") for w in words)


def phrase(change: Change, quote: Callable[[str], str] = str) -> str:
    """One change as a reviewer reads it; `quote` marks values (code spans in Markdown)."""
    key, old, new = change.key, change.old, change.new
    name = name_of(key, quote)
    if key[-1] == "content":
        return f"{name}: file replaced"
    if key[0] == "deliverables" and len(key) == 2:
        if new is None:
            return f"removed deliverable {quote(key[1])}"
        return f"added deliverable {quote(key[1])} ({_deliverable_summary(new, quote)})"
    if isinstance(old, list) and isinstance(new, list) and not _long(old + new):
        added = [quote(_shown(v)) for v in new if v not in old]
        removed = [quote(_shown(v)) for v in old if v not in new]
        said = ([f"added {', '.join(added)}"] if added else []) + \
               ([f"removed {', '.join(removed)}"] if removed else [])
        return f"{name}: {'; '.join(said) or 'new order'}"
    if _long(old) or _long(new):
        what = "added" if old is None else "removed" if new is None else "changed"
        return f"{name} {what}"
    unit = UNITS.get(key[-1], "")
    if old is None:
        return f"{name} {quote(_shown(new) + unit)} (new)"
    if new is None:
        return f"{name} removed (was {quote(_shown(old) + unit)})"
    before, after = _shown(old) + unit, _shown(new) + unit
    if _currency(before) and _currency(before) == _currency(after):
        before = before.rpartition(" ")[0]  # "fee 400 → 450 USD"
    return f"{name} {quote(before)} → {quote(after)}"


def summary(facts: dict[str, Json], quote: Callable[[str], str] = str) -> str:
    """An added or removed creator's essentials in one line."""
    parts = [quote(facts["name"]), f"region {quote(facts['region'])}"]
    if facts["fee"]:
        parts.append(f"fee {quote(facts['fee'])}")
    if facts["commission_percent"] is not None:
        parts.append(f"commission {quote(_shown(facts['commission_percent']) + '%')}")
    if facts["discount_code"]:
        parts.append(f"code {quote(facts['discount_code'])}")
    parts += [f"{quote(d)} ({_deliverable_summary(v, quote)})" for d, v in facts["deliverables"].items()]
    return "; ".join(parts)


def _deliverable_summary(data: dict[str, Json], quote: Callable[[str], str]) -> str:
    count = f" ×{data['count']}" if data["count"] != 1 else ""
    parts = [f"{data['platform']} {quote(_shown(data['format']))}{count}"]
    if data.get("draft_due"):
        parts.append(f"draft due {quote(data['draft_due'])}")
    if data.get("live"):
        parts.append(f"go-live {quote(data['live'])}")
    return ", ".join(parts)


def _shown(value: Json) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value) or "none"
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {_shown(v)}" for k, v in value.items() if v not in (None, [], {}))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _long(value: Json) -> bool:
    if isinstance(value, list):
        return any(_long(v) for v in value)
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value)


def _currency(text: str) -> str | None:
    """The ISO code of an amount written `450.00 USD`, else None."""
    amount, _, code = text.rpartition(" ")
    return code if len(code) == 3 and code.isupper() and amount.replace(".", "", 1).isdigit() else None




# --- text ---------------------------------------------------------------------------


def render_text(result: DiffResult) -> str:
    """For a terminal: every line with its control characters escaped (a value's line
    break, a terminal escape, a bidi override), here once for all of them."""
    return "\n".join(escape_controls(line) for line in _text_lines(result))


def _text_lines(result: DiffResult) -> list[str]:
    lines = [f"briefkit diff: {result.old.shown} → {result.new.shown}"]
    if result.invalid:
        for invalid in result.invalid:
            lines += ["", f"{invalid.revision.shown} does not validate:", *invalid.text.rstrip("\n").split("\n")]
        return lines
    if not result.campaigns:
        return [lines[0], "no brief changed"]
    for campaign in result.campaigns:
        lines += ["", f"{campaign.id}: {campaign.title}" + _status(campaign.status)]
        if campaign.changes:
            lines.append("  whole campaign:")
            lines += [f"    {phrase(c)} ({_reach(c, campaign)})" for c in campaign.changes]
        lines += [f"  {_creator_line(c, str)}" for c in campaign.creators]
    lines += ["", _totals(result)]
    return lines


def _status(status: str) -> str:
    return f" ({status})" if status != "changed" else ""


def _reach(change: Change, campaign: CampaignDiff, quote: Callable[[str], str] = str) -> str:
    reached = len(change.creators)
    if reached == 0:
        return "no brief changes"
    if reached == campaign.creator_count and reached > 2:
        return f"all {reached} creators"
    return ", ".join(quote(handle) for handle in change.creators)


def _creator_line(creator: CreatorDiff, quote: Callable[[str], str]) -> str:
    if creator.status == "changed":
        return f"{quote(creator.handle)}: " + "; ".join(phrase(c, quote) for c in creator.changes)
    assert creator.facts is not None
    return f"{quote(creator.handle)} {creator.status}: {summary(creator.facts, quote)}"


def _totals(result: DiffResult) -> str:
    creators = [c for campaign in result.campaigns for c in campaign.creators]
    counts = {status: sum(c.status == status for c in creators) for status in ("changed", "added", "removed")}
    campaigns = len(result.campaigns)
    said = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    return (f"{campaigns} campaign{'s' * (campaigns != 1)} changed"
            + (f"; creators: {said}" if said else ""))


# --- Markdown -----------------------------------------------------------------------


def render_markdown(result: DiffResult) -> str:
    """A pull-request comment. Every value from the files is a code span (`code_span`),
    so that none can add Markdown: no link, image, HTML, heading or list item, no mention
    of a GitHub user from `@maya` and no link to an issue from `#12`."""
    lines = [f"### briefkit diff: {_revision(result.old)} → {_revision(result.new)}", ""]
    if result.invalid:
        for invalid in result.invalid:
            lines += [f"**{_revision(invalid.revision)} does not validate:**", "", _fenced(invalid.text), ""]
        return "\n".join(lines)
    if not result.campaigns:
        return "\n".join(lines + ["No brief changed.", ""])
    for campaign in result.campaigns:
        lines += [f"#### {code_span(campaign.title)} ({code_span(campaign.id)}){_status(campaign.status)}", ""]
        if campaign.changes:
            lines += ["**Whole campaign**", ""]
            lines += [f"- {phrase(c, code_span)} — {_reach(c, campaign, code_span)}" for c in campaign.changes]
            lines.append("")
        if campaign.creators:
            lines += ["**Creators**", ""]
            lines += [f"- {_creator_line(c, code_span)}" for c in campaign.creators]
            lines.append("")
    lines += [f"_{_totals(result)}_", ""]
    return "\n".join(lines)


def _revision(revision: Revision) -> str:
    if revision.commit is None:
        return "working tree"
    return f"{code_span(revision.name)} ({code_span(revision.commit[:10])})"


def code_span(text: str) -> str:
    """`text` as one Markdown code span that nothing in it can end or reach out of
    (CommonMark, "Code spans"): its control characters, line breaks included, as visible
    escapes (`\\n`, `\\x1b`); a fence of more backticks than any run of them inside; a
    space inside each end where CommonMark would otherwise take a backtick for the fence
    or strip a space of the text. The one way a Markdown diff shows a value."""
    text = escape_controls(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = (not text or text.startswith("`") or text.endswith("`")
           or (text.startswith(" ") and text.endswith(" ") and text.strip(" ")))
    return f"{fence} {text} {fence}" if pad else f"{fence}{text}{fence}"


def _fenced(text: str) -> str:
    text = escape_controls(text, keep="\n")
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


# --- JSON ---------------------------------------------------------------------------


def render_json(result: DiffResult) -> str:
    payload = {
        "version": DIFF_FORMAT_VERSION,
        "from": _revision_record(result.old),
        "to": _revision_record(result.new),
        "valid": not result.invalid,
        "errors": [{"revision": invalid.revision.name, **d.as_record()}
                   for invalid in result.invalid for d in invalid.errors],
        "campaigns": [_campaign_record(c) for c in result.campaigns],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _revision_record(revision: Revision) -> dict:
    return {"revision": revision.name, "commit": revision.commit}


def _campaign_record(campaign: CampaignDiff) -> dict:
    return {
        "id": campaign.id, "title": campaign.title, "status": campaign.status,
        "changes": [_change_record(c) | {"creators": list(c.creators)} for c in campaign.changes],
        "creators": [{"handle": c.handle, "slug": c.slug, "status": c.status,
                      "changes": [_change_record(change) for change in c.changes],
                      **({"brief": c.facts} if c.facts is not None else {})}
                     for c in campaign.creators],
    }


def _change_record(change: Change) -> dict:
    return {"key": format_key_path(change.key), "path": list(change.key), "old": change.old, "new": change.new, "text": phrase(change)}
