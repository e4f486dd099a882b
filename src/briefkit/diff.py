"""`briefkit diff`: what changed for whom between two versions of a workspace.

Both versions go through the usual pipeline up to resolve, so the diff compares
what each creator's brief says, not how the YAML is written: moving a creator
into `creators/`, reordering keys or changing a default that a creator overrides
shows nothing. Each campaign and each creator's brief becomes plain nested data
(a *view*); the views are compared key by key.

A change to the campaign's own data is listed once, with the creators whose
brief it changes. A change in a creator's brief is listed under that creator
only when the campaign does not explain it: when the campaign did not change
that part, or when the creator's own data for it changed too (a new fee override,
a new region).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic, render_text
from .fingerprint import FileDigests
from .model import Campaign, Creator, Deliverable, DeliverableOverride
from .resolve import CreatorBrief, resolve_creator
from .revisions import Repository, Revision
from .validate import Workspace, check_workspace

Json = Any  # plain data: dict, list, str, int, float, bool, None
Key = tuple[str, ...]


@dataclass(frozen=True)
class Change:
    key: Key  # path in the view: ("offer", "fee"), ("deliverables", "ig-reel", "live")
    old: Json  # None when added
    new: Json  # None when removed
    creators: tuple[str, ...] = ()  # campaign-wide changes: handles of the creators it reaches


@dataclass(frozen=True)
class CreatorDiff:
    handle: str  # with @
    slug: str
    status: str  # added, removed, changed
    changes: list[Change]
    facts: dict[str, Json] | None = None  # an added or removed creator: the brief's essentials


@dataclass(frozen=True)
class CampaignDiff:
    id: str
    title: str
    status: str  # added, removed, changed
    changes: list[Change]  # the campaign's own data
    creators: list[CreatorDiff]
    creator_count: int  # creators in both versions


@dataclass(frozen=True)
class CreatorState:
    handle: str
    view: dict[str, Json]  # the creator's brief
    own: dict[Key, Json]  # what the creator's own data sets, by the group of view keys it decides


@dataclass(frozen=True)
class CampaignState:
    title: str
    view: dict[str, Json]  # the campaign's own data, without creators and `internal`
    creators: dict[str, CreatorState] = field(default_factory=dict)  # by slug


# --- views ---------------------------------------------------------------------


def snapshot(workspace: Workspace) -> dict[str, CampaignState]:
    """Every campaign of a validated workspace as plain data, by id."""
    digest = FileDigests(workspace.root)
    states = {}
    for campaign in workspace.campaigns:
        creators = {c.slug: CreatorState("@" + c.handle.removeprefix("@"),
                                         _creator_view(resolve_creator(campaign, c), digest), _own(c))
                    for c in campaign.creators}
        states[campaign.id] = CampaignState(campaign.title, _campaign_view(campaign, digest), creators)
    return states


def _campaign_view(campaign: Campaign, digest: FileDigests) -> dict[str, Json]:
    data = campaign.model_dump(mode="json", exclude={"id", "creators", "internal"})
    data["offer"] = _money_in(data["offer"], campaign.currency)
    data["budget"] = _money(data["budget"], campaign.currency)
    data["deliverables"] = _deliverables(campaign.deliverables)
    data["brand"] = _with_logo(data["brand"], digest)
    data["assets"] = _assets(data["assets"], digest)
    return data


def _creator_view(brief: CreatorBrief, digest: FileDigests) -> dict[str, Json]:
    data = brief.model_dump(mode="json", exclude={"campaign_id", "campaign_timezone", "creator", "offer",
                                                 "deliverables", "disclosure", "tracking"})
    creator, offer = brief.creator, brief.offer
    data |= {
        "locale": creator.locale,
        "timezone": creator.timezone,
        "currency": offer.currency,
        "creator": {
            "handle": "@" + creator.handle, "name": creator.name, "region": creator.region,
            "audience_regions": creator.audience_regions, "tier": creator.tier,
            "platforms": {p: {"handle": "@" + creator.platform_handles[p], "followers": n}
                          for p, n in creator.platforms.items()},
            "why_you": creator.why_you,
        },
        "offer": _money_in(offer.model_dump(mode="json", exclude={"currency"}), offer.currency),
        "deliverables": _deliverables(brief.deliverables),
        "disclosure": {"label": brief.disclosure.label, "extra_labels": brief.disclosure.extra_labels,
                       "regions": [j.region for j in brief.disclosure.jurisdictions],
                       "notes": brief.disclosure.notes},
        "tracking": None if brief.tracking is None else {
            "landing_page": brief.tracking.landing_page,
            "links": {link.platform: link.url for link in brief.tracking.links},
            "discount_code": brief.tracking.discount_code,
        },
    }
    data["brand"] = _with_logo(data["brand"], digest)
    data["assets"] = _assets(data["assets"], digest)
    return data


def _own(creator: Creator) -> dict[Key, Json]:
    """The creator's own settings that decide parts of the brief the campaign also sets."""
    own: dict[Key, Json] = {
        ("offer", "fee"): str(creator.fee) if creator.fee is not None else None,
        ("offer", "commission_percent"): creator.commission_percent,
        ("offer", "product"): creator.product.model_dump(mode="json") if creator.product else None,
        ("tracking", "discount_code"): creator.discount_code,
        ("locale",): creator.locale,
        ("timezone",): creator.timezone,
        ("disclosure",): [creator.region, *creator.audience_regions],
        ("deliverables",): "default" if creator.deliverables is None else "listed",
    }
    for choice in creator.deliverables or []:
        if isinstance(choice, DeliverableOverride):
            own["deliverables", choice.id] = choice.model_dump(mode="json")
        else:
            own["deliverables", choice] = "listed"
    return own


def _own_part(state: CreatorState, part: Key) -> Json:
    """What the creator sets for `part`; a creator without a deliverables list takes
    every deliverable on their platforms as the campaign defines it."""
    if part[0] == "deliverables" and state.own[("deliverables",)] == "default":
        return "default"
    return state.own.get(part)


def _deliverables(deliverables: list[Deliverable]) -> dict[str, Json]:
    view = {}
    for d in deliverables:
        data = d.model_dump(mode="json", exclude={"id", "live_on", "live_window"})
        window = d.live_window
        data["live"] = (f"{window.start.isoformat()} – {window.end.isoformat()}" if window
                        else d.live_on.isoformat() if d.live_on else None)
        view[d.id] = data
    return view


def _money(amount: str | None, currency: str) -> str | None:
    return None if amount is None else f"{amount} {currency}"


def _money_in(offer: dict[str, Json], currency: str) -> dict[str, Json]:
    offer["fee"] = _money(offer["fee"], currency)
    if offer.get("product"):
        offer["product"]["value"] = _money(offer["product"]["value"], currency)
    return offer


def _with_logo(brand: dict[str, Json], digest: FileDigests) -> dict[str, Json]:
    if brand.get("logo"):
        brand["logo"] = {"path": brand["logo"], "content": digest(brand["logo"])[:12]}
    return brand


def _assets(assets: list[dict[str, str]], digest: FileDigests) -> dict[str, Json]:
    return {a["path"]: {"title": a["title"], "content": digest(a["path"])[:12]} for a in assets}


# --- comparing ----------------------------------------------------------------


def compare(old: dict[str, CampaignState], new: dict[str, CampaignState]) -> list[CampaignDiff]:
    """The campaigns that differ, by id; each with its own changes and its creators'."""
    diffs = []
    for campaign_id in sorted(old.keys() | new.keys()):
        before, after = old.get(campaign_id), new.get(campaign_id)
        if before is None or after is None:
            present = after or before
            assert present is not None
            status = "added" if after else "removed"
            creators = [CreatorDiff(c.handle, slug, status, [], facts(c)) for slug, c in present.creators.items()]
            diffs.append(CampaignDiff(campaign_id, present.title, status, [], creators, 0))
            continue
        changed = _compared_campaign(campaign_id, before, after)
        if changed.changes or changed.creators:
            diffs.append(changed)
    return diffs


def _compared_campaign(campaign_id: str, before: CampaignState, after: CampaignState) -> CampaignDiff:
    own_changes = changes(before.view, after.view)
    changed_groups = {group(c.key) for c in own_changes}
    reached: dict[Key, list[str]] = {}
    creators = []
    for slug, now in after.creators.items():
        was = before.creators.get(slug)
        if was is None:
            creators.append(CreatorDiff(now.handle, slug, "added", [], facts(now)))
            continue
        personal = []
        for change in changes(was.view, now.view):
            part = group(change.key)
            if part in changed_groups and _own_part(was, part) == _own_part(now, part):
                if now.handle not in reached.setdefault(part, []):
                    reached[part].append(now.handle)
            else:
                personal.append(change)
        if personal:
            creators.append(CreatorDiff(now.handle, slug, "changed", personal))
    creators += [CreatorDiff(was.handle, slug, "removed", [], facts(was))
                 for slug, was in before.creators.items() if slug not in after.creators]
    campaign_changes = [Change(c.key, c.old, c.new, tuple(reached.get(group(c.key), ())))
                        for c in own_changes]
    return CampaignDiff(campaign_id, after.title, "changed", campaign_changes, creators,
                        len(before.creators.keys() & after.creators.keys()))


def changes(old: Json, new: Json, key: Key = ()) -> list[Change]:
    """Where two views differ: mappings key by key, anything else as a whole."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for name in list(old) + [n for n in new if n not in old]:
            found += changes(old.get(name), new.get(name), (*key, name))
        return found
    return [] if old == new else [Change(key, old, new)]


def group(key: Key) -> Key:
    """The part of a brief a view key belongs to, as far as who decides it: all of a
    deliverable, all tracking links, all disclosure follow from one setting each."""
    if key[0] in ("deliverables", "assets", "offer"):
        return key[:2]
    if key[0] == "tracking":
        return key[:2] if key[1:2] == ("discount_code",) else key[:1]
    if key[0] == "disclosure":
        return key[:1]
    return key


# --- words ----------------------------------------------------------------------


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


def name_of(key: Key) -> str:
    """A view key in a reviewer's words: `deliverables.ig-reel.live` → `ig-reel go-live`."""
    dotted = ".".join(key)
    if dotted in NAMES:
        return NAMES[dotted]
    head, rest = key[0], list(key[1:])
    if head == "deliverables" and rest:
        fields = [DELIVERABLE_FIELDS.get(f, f.replace("_", " ")) for f in rest[1:]]
        return " ".join([rest[0], *fields]) if fields else f"deliverable {rest[0]}"
    if head == "assets" and rest:
        return f"asset {rest[0]}" + (" " + " ".join(rest[1:]) if rest[1:] else "")
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
    name = name_of(key)
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


def facts(state: CreatorState) -> dict[str, Json]:
    """The essentials of a creator's brief, for a creator added or removed."""
    view = state.view
    return {"name": view["creator"]["name"], "region": view["creator"]["region"],
            "fee": view["offer"]["fee"], "commission_percent": view["offer"]["commission_percent"],
            "discount_code": view["tracking"]["discount_code"] if view["tracking"] else None,
            "deliverables": view["deliverables"]}


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
    parts = [f"{data['platform']} {data['format']}" + (f" ×{data['count']}" if data["count"] != 1 else "")]
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


# --- two revisions ----------------------------------------------------------------

# A revision without campaigns yet, or built without the private-links secret, still compares.
NOT_BLOCKING = frozenset({"no-campaign", "secret"})


@dataclass(frozen=True)
class Invalid:
    """A revision that does not validate: its errors, and them as compiler-style text."""

    revision: Revision
    errors: list[Diagnostic]
    text: str


@dataclass(frozen=True)
class DiffResult:
    old: Revision
    new: Revision
    campaigns: list[CampaignDiff]
    invalid: list[Invalid]


def diff_revisions(repository: Repository, old: Revision, new: Revision) -> DiffResult:
    """Validate and resolve the workspace at both revisions, and compare the briefs."""
    states, invalid = [], []
    for revision in (old, new):
        with repository.checkout(revision) as root:
            workspace, diagnostics = check_workspace(root)
            errors = [d for d in diagnostics if d.is_error and d.code not in NOT_BLOCKING]
            if errors:
                invalid.append(Invalid(revision, errors, render_text(errors, root)))
            else:
                states.append(snapshot(workspace))
    campaigns = compare(*states) if not invalid else []
    return DiffResult(old, new, campaigns, invalid)
