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
from .model import Amount, Campaign, deadline_instant, in_campaign_currency, shown_handle
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
    fees: Amount  # the creators' fees, in the campaign's currency (through its exchange rates)
    product_values: list[Amount]  # the products' values, added up per currency
    deadlines: list[TeamDeadline]

    @property
    def budget(self) -> Amount | None:
        budget = self.campaign.budget
        return None if budget is None else Amount(budget, self.campaign.currency)

    @property
    def left(self) -> Amount | None:
        """What the budget has left; negative when the fees are over it."""
        budget = self.budget
        return None if budget is None else Amount(budget.value - self.fees.value, budget.currency)


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
        # Validation made sure every fee has a rate into the campaign's currency.
        fees = [in_campaign_currency(campaign, b.offer.fee) or Decimal(0) for b in briefs if b.offer.fee]
        values: dict[str, Decimal] = {}
        for b in briefs:
            if b.offer.product and b.offer.product.value:
                value = b.offer.product.value
                values[value.currency] = values.get(value.currency, Decimal(0)) + value.value
        overview.append(TeamCampaign(
            campaign=campaign,
            creators=creators,
            fees=Amount(sum(fees, Decimal(0)), campaign.currency),
            product_values=[Amount(total, currency) for currency, total in sorted(values.items())],
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
