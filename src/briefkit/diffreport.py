"""`briefkit diff`'s three ways of saying what changed: text for a terminal,
Markdown for a pull-request comment, JSON for programs (documented in docs/review.md)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from .diagnostics import format_key_path
from .diff import Change, CampaignDiff, CreatorDiff, DiffResult, phrase, summary
from .revisions import Revision

DIFF_FORMAT_VERSION = 1


# --- text ---------------------------------------------------------------------------


def render_text(result: DiffResult) -> str:
    lines = [f"briefkit diff: {result.old.shown} → {result.new.shown}"]
    if result.invalid:
        for invalid in result.invalid:
            lines += ["", f"{invalid.revision.shown} does not validate:", invalid.text.rstrip("\n")]
        return "\n".join(lines)
    if not result.campaigns:
        return lines[0] + "\nno brief changed"
    for campaign in result.campaigns:
        lines += ["", f"{campaign.id}: {campaign.title}" + _status(campaign.status)]
        if campaign.changes:
            lines.append("  whole campaign:")
            lines += [f"    {phrase(c)} ({_reach(c, campaign)})" for c in campaign.changes]
        lines += [f"  {_creator_line(c, str)}" for c in campaign.creators]
    lines += ["", _totals(result)]
    return "\n".join(lines)


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
    """A pull-request comment. Handles and hashtags are code spans, so that GitHub does
    not turn `@maya` into a mention of a GitHub user or `#12` into a link to an issue."""
    lines = [f"### briefkit diff: {_revision(result.old)} → {_revision(result.new)}", ""]
    if result.invalid:
        for invalid in result.invalid:
            lines += [f"**{_revision(invalid.revision)} does not validate:**", "", _fenced(invalid.text), ""]
        return "\n".join(lines)
    if not result.campaigns:
        return "\n".join(lines + ["No brief changed.", ""])
    for campaign in result.campaigns:
        lines += [f"#### {_escaped(campaign.title)} ({code(campaign.id)}){_status(campaign.status)}", ""]
        if campaign.changes:
            lines += ["**Whole campaign**", ""]
            lines += [f"- {phrase(c, code)} — {_reach(c, campaign, code)}" for c in campaign.changes]
            lines.append("")
        if campaign.creators:
            lines += ["**Creators**", ""]
            lines += [f"- {_creator_line(c, code)}" for c in campaign.creators]
            lines.append("")
    lines += [f"_{_totals(result)}_", ""]
    return "\n".join(lines)


def _revision(revision: Revision) -> str:
    if revision.commit is None:
        return "working tree"
    return f"{code(revision.name)} ({code(revision.commit[:10])})"


def code(text: str) -> str:
    """`text` as a Markdown code span, whatever backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or not text.strip() else text
    return f"{fence}{padded}{fence}"


def _escaped(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~@])", r"\\\1", text)


def _fenced(text: str) -> str:
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
