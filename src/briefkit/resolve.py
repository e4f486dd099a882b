"""Stage 3, resolve: one creator's brief as plain data, and nothing else.

The renderer sees only a `CreatorBrief`. It holds the campaign's shared data and
this creator's own (deliverables with final dates and counts, fee, code, links
with placeholders filled); no other creator, and nothing from `internal:` or the
creator's e-mail, ever enters it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict

from . import disclosure, placeholders
from .disclosure import Jurisdiction
from .model import (Amount, Asset, Audience, Brand, Campaign, Contact, Creative, Creator, Deliverable,
                    Objective, OfferType, Review, Tier, UsageRights, bare_handle, creator_deliverables,
                    creator_offer, creator_tier, deadline_instant, discount_pattern, in_language, locale_of)
from .processes import collector_paused
from .validate import Workspace

M = TypeVar("M", bound=BaseModel)


class View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CreatorView(View):
    handle: str  # without the @
    name: str
    slug: str
    region: str
    audience_regions: list[str]
    locale: str
    timezone: str
    platforms: dict[str, int]  # platform → followers
    platform_handles: dict[str, str]
    platform_names: dict[str, str]  # a podcast's or blog's name, shown instead of the handle there
    tier: Tier
    why_you: str | None


class ProductView(View):
    name: str
    value: Amount | None
    ships_by: dt.date | None


class OfferView(View):
    """What the creator gets: only the terms their offer's type gives (`CreatorOffer.terms`)."""

    type: OfferType
    fee: Amount | None
    commission_percent: Decimal | None
    product: ProductView | None
    payment_terms: str | None
    extras: list[str]


class TrackingLink(View):
    platform: str
    url: str


class TrackingView(View):
    landing_page: str
    links: list[TrackingLink]
    discount_code: str | None


class PlatformDisclosure(View):
    platform: str
    kinds: list[str]  # how the creator's deliverables there are published: post, video, story…
    has_tool: bool  # the platform has a paid-partnership tool of its own


class DisclosureView(View):
    label: str  # what the creator puts first; one label per region it must satisfy
    extra_labels: list[str]  # France: "Images retouchées", "Images virtuelles"
    jurisdictions: list[Jurisdiction]  # the creator's region first, then audience regions
    platforms: list[PlatformDisclosure]
    visible_characters: int | None  # None when nothing has a caption that feeds cut (a podcast, a blog)
    notes: str | None


DeadlineKind = Literal["respond", "ships", "draft", "live", "window"]


class BriefDeadline(View):
    """A date the brief names: the reply, the product's shipping, a draft, a go-live day
    or window. A bare date means the end of that day in the campaign's time zone."""

    kind: DeadlineKind
    when: dt.date | dt.datetime  # a window's first day
    until: dt.date | dt.datetime | None = None  # a window's last day
    deliverable: str | None = None  # the id, for draft, live and window

    @property
    def due(self) -> bool:
        """Something to hand in by the end of the day (a reply, a draft), not a day to publish on."""
        return self.kind in ("respond", "draft")


ChangeKind = Literal["fee", "commission", "type", "product", "product_value", "ships_by", "payment_terms",
                     "extras", "added", "removed", "count", "draft_due", "live", "details", "respond_by", "section"]


class BriefChange(View):
    """One way the brief differs from the one the creator answered, for the page's words
    (the `changes.<kind>` labels). Old and new values are typed for the creator's formats:
    amounts, percentages, dates, counts, an offer type, a product's name."""

    kind: ChangeKind
    material: bool  # part of the deal (docs/answers.md): the creator is asked to confirm again
    deliverable: Deliverable | None = None  # the deliverable it is about (as it was, when removed)
    section: str | None = None  # for "section": the key of the section that changed
    old: Any = None
    new: Any = None
    old_until: dt.date | dt.datetime | None = None  # a go-live window's last day
    new_until: dt.date | dt.datetime | None = None


class AnswerView(View):
    """The creator's answer, and what changed since (set by `answers.py` when building)."""

    status: Literal["accepted", "declined"]
    on: dt.date
    revision: str | None = None  # the git revision of the brief they answered, as written
    answered_version: str | None = None  # the version of the brief they answered, when known
    changes: list[BriefChange] = []  # empty: unchanged, or (outside git) changed without details
    changed: bool = False  # the brief is not the one they answered

    @property
    def needs_confirming(self) -> bool:
        """Accepted, and since then something of the deal changed (or something unknown)."""
        return self.status == "accepted" and self.changed and (
            not self.changes or any(change.material for change in self.changes))


class CreatorBrief(View):
    campaign_id: str
    title: str
    brand: Brand
    contact: Contact
    respond_by: dt.date | dt.datetime
    campaign_timezone: str
    overview: str
    objectives: list[Objective]
    audience: Audience | None
    key_messages: list[str]
    creator: CreatorView
    offer: OfferView
    deliverables: list[Deliverable]
    creative: Creative
    disclosure: DisclosureView
    review: Review
    usage_rights: UsageRights | None
    tracking: TrackingView | None
    assets: list[Asset]
    deadlines: list[BriefDeadline]  # in order; the page, the calendar and the team read them
    credit: bool = False  # say "made with briefkit" (the workspace's `credit:`)
    answer: AnswerView | None = None  # the creator's `response:`, and what changed since
    version: str = ""  # the brief's version (`answers.brief_version`), set when building

    def deliverable(self, deliverable_id: str) -> Deliverable:
        return next(d for d in self.deliverables if d.id == deliverable_id)


@collector_paused()
def resolve_workspace(workspace: Workspace,
                      only: Callable[[str, str], bool] = lambda campaign_id, handle: True) -> list[CreatorBrief]:
    """Every creator's brief, campaign by campaign, in file order; with `only`, the briefs
    of the creators it picks by campaign id and handle."""
    briefs = []
    for campaign in workspace.campaigns:
        in_locale = functools.cache(functools.partial(_campaign_in, campaign))  # creators share languages
        briefs += [_brief(in_locale(locale_of(campaign, creator)), creator, workspace.settings.credit)
                   for creator in campaign.creators if only(campaign.id, creator.handle)]
    return briefs


def resolve_creator(campaign: Campaign, creator: Creator, credit: bool = False) -> CreatorBrief:
    return _brief(_campaign_in(campaign, locale_of(campaign, creator)), creator, credit)


def _campaign_in(campaign: Campaign, locale: str) -> Campaign:
    """The campaign as a reader of `locale` reads it, without its creators: they are not
    part of any one brief (walking them for each creator made resolving quadratic)."""
    return in_language(campaign.model_copy(update={"creators": []}), locale, campaign.locale)


def _brief(campaign: Campaign, creator: Creator, credit: bool) -> CreatorBrief:
    """The brief of `creator` in `campaign`, which is in the creator's language (`_campaign_in`)."""
    locale = locale_of(campaign, creator)
    creator = in_language(creator, locale, campaign.locale)
    applying = disclosure.creator_jurisdictions(campaign, creator)
    label = disclosure.creator_label(campaign, applying)
    values = placeholders.text_values(campaign.id, creator, label)
    deliverables = [_filled_deliverable(d, values) for d in creator_deliverables(campaign, creator)]
    platforms = _platform_disclosures(deliverables)
    kinds = {kind for entry in platforms for kind in entry.kinds}
    offer = _offer(campaign, creator)
    return CreatorBrief(
        campaign_id=campaign.id,
        title=campaign.title,
        brand=campaign.brand,
        contact=campaign.contact,
        respond_by=campaign.respond_by,
        campaign_timezone=campaign.timezone,
        overview=placeholders.fill(campaign.overview, values),
        objectives=[_filled(o, values) for o in campaign.objectives],
        audience=campaign.audience,
        key_messages=[placeholders.fill(m, values) for m in campaign.key_messages],
        creator=CreatorView(
            handle=bare_handle(creator.handle),
            name=creator.name,
            slug=creator.slug,
            region=creator.region,
            audience_regions=creator.audience_regions,
            locale=locale,
            timezone=creator.timezone or campaign.timezone,
            platforms={p: a.followers for p, a in creator.platforms.items()},
            platform_handles={p: bare_handle(a.handle or creator.handle) for p, a in creator.platforms.items()},
            platform_names={p: a.name for p, a in creator.platforms.items() if a.name},
            tier=creator_tier(creator),
            why_you=placeholders.fill(creator.why_you, values) if creator.why_you else None,
        ),
        offer=offer,
        deliverables=deliverables,
        creative=_filled(campaign.creative, values),
        disclosure=DisclosureView(
            label=label,
            extra_labels=disclosure.creator_extra_labels(campaign, applying) if disclosure.is_visual(kinds) else [],
            jurisdictions=disclosure.for_content(applying, kinds),
            platforms=platforms,
            visible_characters=disclosure.visible_characters() if disclosure.has_captions(kinds) else None,
            notes=placeholders.fill(campaign.disclosure.notes, values) if campaign.disclosure.notes else None,
        ),
        review=_filled(campaign.review, values),
        usage_rights=campaign.usage_rights,
        tracking=_tracking(campaign, creator, values, deliverables),
        assets=campaign.assets,
        deadlines=_deadlines(campaign, offer.product, deliverables),
        credit=credit,
        answer=AnswerView(status=creator.response.status, on=creator.response.on,
                          revision=creator.response.revision, answered_version=creator.response.version)
        if creator.response else None,
    )


def _deadlines(campaign: Campaign, product: ProductView | None,
               deliverables: list[Deliverable]) -> list[BriefDeadline]:
    """The brief's dates, earliest first (a window by its first day); on the same
    day, the reply before the shipping before drafts before going live."""
    found = [BriefDeadline(kind="respond", when=campaign.respond_by)]
    if product and product.ships_by:
        found.append(BriefDeadline(kind="ships", when=product.ships_by))
    for d in deliverables:
        if d.draft_due:
            found.append(BriefDeadline(kind="draft", when=d.draft_due, deliverable=d.id))
        if d.live_on:
            found.append(BriefDeadline(kind="live", when=d.live_on, deliverable=d.id))
        elif d.live_window:
            found.append(BriefDeadline(kind="window", when=d.live_window.start, until=d.live_window.end,
                                       deliverable=d.id))
    return sorted(found, key=lambda d: deadline_instant(d.when, campaign.timezone))


def _platform_disclosures(deliverables: list[Deliverable]) -> list[PlatformDisclosure]:
    kinds: dict[str, list[str]] = {}
    for d in deliverables:
        kinds.setdefault(d.platform, [])
        kind = disclosure.content_kind(d.platform, d.format)
        if kind not in kinds[d.platform]:
            kinds[d.platform].append(kind)
    return [PlatformDisclosure(platform=p, kinds=k, has_tool=disclosure.has_platform_tool(p)) for p, k in kinds.items()]


def _offer(campaign: Campaign, creator: Creator) -> OfferView:
    offer = creator_offer(campaign, creator)
    terms = offer.terms
    product = offer.product if "product" in terms else None
    return OfferView(
        type=offer.type,
        fee=offer.fee if "fee" in terms else None,
        commission_percent=offer.commission_percent if "commission_percent" in terms else None,
        product=ProductView(name=product.name, value=offer.product_value, ships_by=product.ships_by)
        if product else None,
        # How money is paid means nothing to a creator who is paid none.
        payment_terms=offer.payment_terms if {"fee", "commission_percent"} & set(terms) else None,
        extras=list(offer.extras),
    )


def _tracking(campaign: Campaign, creator: Creator, values: dict[str, str],
              deliverables: list[Deliverable]) -> TrackingView | None:
    tracking = campaign.tracking
    if tracking is None:
        return None
    platforms = list(dict.fromkeys(d.platform for d in deliverables))
    links = []
    for platform in platforms:
        with_platform = values | {"platform": platform}
        utm = {f"utm_{key}": placeholders.fill(pattern, with_platform)
               for key, pattern in tracking.utm.model_dump().items()}
        landing = placeholders.fill(tracking.landing_page, with_platform)
        links.append(TrackingLink(platform=platform, url=with_query(landing, utm)))
    code_pattern = discount_pattern(campaign, creator)
    return TrackingView(
        landing_page=placeholders.fill(tracking.landing_page, values),
        links=links,
        discount_code=placeholders.fill(code_pattern, values) if code_pattern else None,
    )


def with_query(url: str, params: dict[str, str]) -> str:
    """`url` with `params` added to its query (replacing same-named ones), encoded."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _filled_deliverable(deliverable: Deliverable, values: dict[str, str]) -> Deliverable:
    return _filled(deliverable, values | {"platform": deliverable.platform,
                                          "deliverable.id": deliverable.id})


def _filled(model: M, values: dict[str, str]) -> M:
    """A copy of `model` with placeholders filled in all its text fields."""
    update = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, str):
            update[name] = placeholders.fill(value, values)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            update[name] = [placeholders.fill(v, values) for v in value]
    return model.model_copy(update=update)
