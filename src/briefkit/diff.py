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

from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic, render_text
from .fingerprint import FileDigests
from .model import (Amount, Campaign, Creator, Deliverable, DeliverableOverride, in_language, is_language_tag,
                    shown_handle)
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
        creators = {c.slug: CreatorState(shown_handle(c.handle),
                                         creator_view(resolve_creator(campaign, c), digest), _own(c))
                    for c in campaign.creators}
        title = in_language(campaign.title, campaign.locale, campaign.locale)
        states[campaign.id] = CampaignState(title, _campaign_view(campaign, digest), creators)
    return states


def _campaign_view(campaign: Campaign, digest: FileDigests) -> dict[str, Json]:
    data = campaign.model_dump(mode="json", exclude={"id", "creators", "internal"})
    data["offer"] = _money_in(data["offer"], campaign.currency)
    data["budget"] = _money(data["budget"], campaign.currency)
    data["deliverables"] = _deliverables(campaign.deliverables)
    data["brand"] = _with_logo(data["brand"], digest)
    data["assets"] = _assets(data["assets"], digest)
    return data


def creator_view(brief: CreatorBrief, digest: FileDigests) -> dict[str, Json]:
    """What a creator's brief says, as plain data: what `diff` compares and the brief's
    version is made from. The deadlines repeat the deliverables' and the product's dates,
    which are compared there; the creator's answer and the version are not the brief."""
    data = brief.model_dump(mode="json", exclude={"campaign_id", "campaign_timezone", "creator", "offer",
                                                 "deliverables", "disclosure", "tracking", "deadlines",
                                                 "credit", "version", "answer"})
    creator, offer = brief.creator, brief.offer
    data |= {
        "locale": creator.locale,
        "timezone": creator.timezone,
        "creator": {
            "handle": shown_handle(creator.handle), "name": creator.name, "region": creator.region,
            "audience_regions": creator.audience_regions, "tier": creator.tier,
            "platforms": {p: {"handle": shown_handle(creator.platform_handles[p]), "followers": n}
                          for p, n in creator.platforms.items()},
            "why_you": creator.why_you,
        },
        "offer": {
            "type": offer.type, "fee": _amount(offer.fee),
            "product": None if offer.product is None else {
                "name": offer.product.name, "value": _amount(offer.product.value),
                "ships_by": offer.product.ships_by.isoformat() if offer.product.ships_by else None},
            "commission_percent": offer.commission_percent if offer.commission_percent is None
            else float(offer.commission_percent),
            "payment_terms": offer.payment_terms, "extras": offer.extras,
        },
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
    offer = creator.model_dump(mode="json", include={"offer", "fee", "commission_percent", "product", "currency"})
    own: dict[Key, Json] = {
        ("offer", term): [offer.get("offer") and offer["offer"].get(term), offer.get(term), offer.get("currency")]
        for term in ("type", "fee", "commission_percent", "product", "payment_terms", "extras")
    } | {
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


def _amount(amount: Amount | None) -> str | None:
    """An amount as the diff shows it: exact, with its currency, `450 EUR`."""
    return None if amount is None else f"{amount.value} {amount.currency}"


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
    deliverable, all tracking links, all disclosure follow from one setting each, and
    each language of a text is that text."""
    if len(key) > 1 and is_language_tag(key[-1]):
        return group(key[:-1])
    if key[0] in ("deliverables", "assets", "offer"):
        return key[:2]
    if key[0] == "tracking":
        return key[:2] if key[1:2] == ("discount_code",) else key[:1]
    if key[0] == "disclosure":
        return key[:1]
    return key


# --- an added or removed creator ---------------------------------------------------


def facts(state: CreatorState) -> dict[str, Json]:
    """The essentials of a creator's brief, for a creator added or removed."""
    view = state.view
    return {"name": view["creator"]["name"], "region": view["creator"]["region"],
            "fee": view["offer"]["fee"], "commission_percent": view["offer"]["commission_percent"],
            "discount_code": view["tracking"]["discount_code"] if view["tracking"] else None,
            "deliverables": view["deliverables"]}


# --- two revisions ----------------------------------------------------------------

# A revision without campaigns yet, or built without the private-links secret, still compares;
# so does one read outside git, where the revisions its answers name cannot be looked up.
NOT_BLOCKING = frozenset({"no-campaign", "secret", "revision"})


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
