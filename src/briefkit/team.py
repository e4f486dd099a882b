"""The team overview (`briefkit build --team`): every campaign at a glance for the
brand's own reviewers, as plain data for the theme's `team.html`.

It is made from the same resolved briefs as the packets, so it shows exactly
what each creator is told, plus what only the team needs: fees against the
budget, every deadline in order, where each creator stands (invited, overdue,
accepted, to confirm again, declined), and the validation warnings. It lives in
`output/_team/`, and no packet links to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .answers import STATES, State, state_of
from .diagnostics import Diagnostic
from .model import Amount, Campaign, deadline_instant, in_campaign_currency, in_language, shown_handle
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
    brief: CreatorBrief  # with the creator's answer and what changed since
    packet: str  # the packet folder, relative to the output folder
    state: State  # where the creator stands (answers.state_of)
    days: int | None  # invited: days left to reply; overdue: days past the reply-by day


@dataclass(frozen=True)
class TeamCampaign:
    campaign: Campaign
    creators: list[TeamCreator]
    fees: list[Amount]  # the creators' fees, added up per currency
    fees_in_campaign_currency: Amount | None  # all of them through the exchange rates; None without a rate
    product_values: list[Amount]  # the products' values, added up per currency
    deadlines: list[TeamDeadline]

    @property
    def states(self) -> dict[State, int]:
        """How many creators stand where, for the states some creator is in."""
        return {state: n for state in STATES if (n := sum(c.state == state for c in self.creators))}

    @property
    def budget(self) -> Amount | None:
        budget = self.campaign.budget
        return None if budget is None else Amount(budget, self.campaign.currency)

    @property
    def left(self) -> Amount | None:
        """What the budget has left; negative when the fees are over it. (A campaign with
        a budget has a rate for every currency its creators are paid in: validation says so.)"""
        budget, fees = self.budget, self.fees_in_campaign_currency
        return None if budget is None or fees is None else Amount(budget.value - fees.value, budget.currency)


@dataclass(frozen=True)
class TeamOverview:
    campaigns: list[TeamCampaign]
    warnings: list[Diagnostic]


def team_overview(campaigns: list[Campaign], packets: list[tuple[CreatorBrief, str]],
                  diagnostics: list[Diagnostic], moment: dt.datetime) -> TeamOverview:
    """The overview of `campaigns` at `moment`, whose creators' briefs (with their answers)
    and packet folders are `packets`."""
    overview = []
    for campaign in campaigns:
        campaign = in_language(campaign, campaign.locale, campaign.locale)
        creators = [TeamCreator(brief, folder, *state_of(brief, moment))
                    for brief, folder in packets if brief.campaign_id == campaign.id]
        briefs = [c.brief for c in creators]
        fees = [b.offer.fee for b in briefs if b.offer.fee]
        converted = [in_campaign_currency(campaign, fee) for fee in fees]
        overview.append(TeamCampaign(
            campaign=campaign,
            creators=creators,
            fees=per_currency(fees, campaign.currency),
            fees_in_campaign_currency=None if None in converted else
            Amount(sum(converted, Decimal(0)), campaign.currency),
            product_values=per_currency([b.offer.product.value for b in briefs
                                         if b.offer.product and b.offer.product.value], campaign.currency),
            deadlines=deadlines(campaign, briefs),
        ))
    return TeamOverview(overview, [d for d in diagnostics if not d.is_error])


def per_currency(amounts: list[Amount], first: str) -> list[Amount]:
    """`amounts` added up per currency: `first` (the campaign's) first, then the others in
    alphabetical order."""
    totals: dict[str, Decimal] = {}
    for amount in amounts:
        totals[amount.currency] = totals.get(amount.currency, Decimal(0)) + amount.value
    order = sorted(totals, key=lambda currency: (currency != first, currency))
    return [Amount(totals[currency], currency) for currency in order]


def deadlines(campaign: Campaign, briefs: list[CreatorBrief]) -> list[TeamDeadline]:
    """Every date of the creators' briefs, in order; one entry per date, kind and
    deliverable, with everyone it concerns (the reply with those who have not answered).
    A go-live window is due on its last day."""
    Day = dt.date | dt.datetime
    handles: dict[tuple[Day, str, str | None, Day | None], list[str]] = {}
    for brief in briefs:
        for d in brief.deadlines:
            if d.kind == "respond" and brief.answer is not None:
                continue  # answered already
            kind, when, since = ("live", d.until, d.when) if d.until is not None else (d.kind, d.when, None)
            handles.setdefault((when, kind, d.deliverable, since), []).append(shown_handle(brief.creator.handle))
    found = [TeamDeadline(when, deadline_instant(when, campaign.timezone), kind, deliverable, since,
                          tuple(who))
             for (when, kind, deliverable, since), who in handles.items()]
    order = {"respond": 0, "ships": 1, "draft": 2, "live": 3}
    return sorted(found, key=lambda d: (d.instant, order[d.kind], d.deliverable or ""))
