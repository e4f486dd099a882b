"""The team overview (`briefkit build --team`): every campaign at a glance for the
brand's own reviewers, as plain data for the theme's `team.html`.

It is made from the same resolved briefs as the packets, so it shows exactly
what each creator is told, plus what only the team needs: fees against the
budget, every deadline in order, and the validation warnings. It lives in
`output/_team/`, and no packet links to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .diagnostics import Diagnostic
from .model import Campaign, deadline_instant, shown_handle
from .resolve import CreatorBrief

TEAM_FOLDER = "_team"


@dataclass(frozen=True)
class TeamDeadline:
    when: dt.date | dt.datetime  # a go-live window's last day
    instant: dt.datetime  # for sorting: the end of a bare date in the campaign's zone
    kind: str  # respond, ships, draft, live
    deliverable: str | None
    since: dt.date | dt.datetime | None  # a go-live window's first day; `when` is its last
    creators: tuple[str, ...]  # handles, with @


@dataclass(frozen=True)
class TeamCreator:
    brief: CreatorBrief
    packet: str  # the packet folder, relative to the output folder


@dataclass(frozen=True)
class TeamCampaign:
    campaign: Campaign
    creators: list[TeamCreator]
    fees: Decimal  # the sum of the creators' fees
    product_value: Decimal  # the sum of the gifted products' values
    deadlines: list[TeamDeadline]

    @property
    def left(self) -> Decimal | None:
        budget = self.campaign.budget
        return None if budget is None else budget - self.fees


@dataclass(frozen=True)
class TeamOverview:
    campaigns: list[TeamCampaign]
    warnings: list[Diagnostic]


def team_overview(campaigns: list[Campaign], packets: list[tuple[CreatorBrief, str]],
                  diagnostics: list[Diagnostic]) -> TeamOverview:
    """The overview of `campaigns`, whose creators' briefs and packet folders are `packets`."""
    overview = []
    for campaign in campaigns:
        creators = [TeamCreator(brief, folder) for brief, folder in packets if brief.campaign_id == campaign.id]
        briefs = [c.brief for c in creators]
        overview.append(TeamCampaign(
            campaign=campaign,
            creators=creators,
            fees=sum((b.offer.fee for b in briefs if b.offer.fee is not None), Decimal(0)),
            product_value=sum((b.offer.product.value for b in briefs
                               if b.offer.product and b.offer.product.value is not None), Decimal(0)),
            deadlines=deadlines(campaign, briefs),
        ))
    return TeamOverview(overview, [d for d in diagnostics if not d.is_error])


def deadlines(campaign: Campaign, briefs: list[CreatorBrief]) -> list[TeamDeadline]:
    """Every date of the creators' briefs, in order; one entry per date, kind and
    deliverable, with everyone it concerns. A go-live window is due on its last day."""
    Day = dt.date | dt.datetime
    handles: dict[tuple[Day, str, str | None, Day | None], list[str]] = {}
    for brief in briefs:
        for d in brief.deadlines:
            kind, when, since = ("live", d.until, d.when) if d.until is not None else (d.kind, d.when, None)
            handles.setdefault((when, kind, d.deliverable, since), []).append(shown_handle(brief.creator.handle))
    found = [TeamDeadline(when, deadline_instant(when, campaign.timezone), kind, deliverable, since,
                          tuple(who))
             for (when, kind, deliverable, since), who in handles.items()]
    order = {"respond": 0, "ships": 1, "draft": 2, "live": 3}
    return sorted(found, key=lambda d: (d.instant, order[d.kind], d.deliverable or ""))
