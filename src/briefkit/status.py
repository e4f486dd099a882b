"""`briefkit status`: where every creator stands (docs/answers.md), for the team.

Invited (days left to reply) or overdue, accepted, accepted with a change to the deal
since (to confirm again), or declined; with what was sent to them, from `sent.yaml`.
The states come from the same briefs the packets are built from (`answers.state_of`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .answers import STATE_WORDS, STATES, AnsweredBriefs, State, state_of, with_answer
from .build import SelectionError
from .diagnostics import Diagnostic
from .fingerprint import FileDigests
from .ledger import SENT_FILE, Sent, last_sent, read_sent
from .load import load_workspace
from .model import now, shown_handle
from .resolve import BriefChange, CreatorBrief, resolve_workspace
from .validate import check_source


@dataclass(frozen=True)
class CreatorStatus:
    handle: str  # with @
    name: str
    state: State
    days: int | None  # invited: days left to reply; overdue: days past the reply-by day
    version: str  # of the brief as it is now
    answered_on: dt.date | None
    answered_version: str | None
    changes: list[BriefChange]  # since the answer
    sent: Sent | None  # the last message sent to them


@dataclass(frozen=True)
class CampaignStatus:
    id: str
    respond_by: dt.date | dt.datetime
    creators: list[CreatorStatus]

    @property
    def counts(self) -> dict[State, int]:
        return {state: sum(c.state == state for c in self.creators) for state in STATES}


@dataclass(frozen=True)
class StatusReport:
    campaigns: list[CampaignStatus]
    diagnostics: list[Diagnostic]  # the workspace's errors (then no campaigns), or reading an answer's revision


def workspace_status(root: Path, campaign_id: str | None = None) -> StatusReport:
    source = load_workspace(root)
    workspace, diagnostics = check_source(source)
    if any(d.is_error for d in diagnostics):
        return StatusReport([], diagnostics)
    if campaign_id is not None and campaign_id not in {c.id for c in workspace.campaigns}:
        raise SelectionError(f"there is no campaign {campaign_id!r}")
    folders = {c.id: c.folder for c in source.campaigns}
    digest, answered, moment = FileDigests(root), AnsweredBriefs(root), now()
    briefs = [with_answer(b, digest, answered) for b in resolve_workspace(workspace)
              if campaign_id in (None, b.campaign_id)]
    campaigns = []
    for campaign in workspace.campaigns:
        if campaign_id not in (None, campaign.id):
            continue
        sent = read_sent(root / folders[campaign.id] / SENT_FILE)
        creators = [creator_status(b, moment, last_sent(sent, b.creator.handle))
                    for b in briefs if b.campaign_id == campaign.id]
        campaigns.append(CampaignStatus(campaign.id, campaign.respond_by, creators))
    return StatusReport(campaigns, answered.problems)


def creator_status(brief: CreatorBrief, moment: dt.datetime, sent: Sent | None) -> CreatorStatus:
    state, days = state_of(brief, moment)
    answer = brief.answer
    return CreatorStatus(shown_handle(brief.creator.handle), brief.creator.name, state, days, brief.version,
                         answer.on if answer else None, answer.answered_version if answer else None,
                         list(answer.changes) if answer else [], sent)


def status_json(report: StatusReport) -> dict:
    return {"campaigns": [{
        "id": c.id, "respond_by": c.respond_by.isoformat(), "counts": c.counts,
        "creators": [{
            "handle": s.handle, "name": s.name, "state": s.state,
            "days_left": s.days if s.state == "invited" else None,
            "days_overdue": s.days if s.state == "overdue" else None,
            "version": s.version,
            "answered_on": s.answered_on.isoformat() if s.answered_on else None,
            "answered_version": s.answered_version,
            "changes": [{"kind": ch.kind, "material": ch.material,
                         "deliverable": ch.deliverable.id if ch.deliverable else None,
                         "section": ch.section} for ch in s.changes],
            "sent": {"version": s.sent.version, "revision": s.sent.revision, "at": s.sent.at.isoformat()}
            if s.sent else None,
        } for s in c.creators],
    } for c in report.campaigns]}


def status_lines(report: StatusReport) -> list[str]:
    """The report as text for a terminal (escaped by the caller)."""
    lines = []
    for campaign in report.campaigns:
        lines.append(f"{campaign.id} (reply by {campaign.respond_by.isoformat()})")
        width = max((len(c.handle) for c in campaign.creators), default=0)
        for creator in campaign.creators:
            lines.append(f"  {creator.handle.ljust(width)}  {_described(creator)}")
        counts = ", ".join(f"{n} {STATE_WORDS[state]}" for state, n in campaign.counts.items() if n)
        lines.append(f"  {len(campaign.creators)} creators: {counts}")
        lines.append("")
    return lines[:-1]


def _described(creator: CreatorStatus) -> str:
    if creator.state == "invited":
        text = f"invited, {_days(creator.days)} left to reply"
    elif creator.state == "overdue":
        text = f"overdue: no answer, {_days(creator.days)} past the reply-by day"
    elif creator.state == "changed":
        what = ", ".join(dict.fromkeys(_change_word(c) for c in creator.changes)) or "the brief"
        text = (f"accepted on {creator.answered_on} (version {creator.answered_version}), changed since: "
                f"{what}; to confirm again")
    else:
        text = f"{creator.state} on {creator.answered_on}"
    text += f"; brief version {creator.version}"
    if creator.sent:
        text += f"; sent version {creator.sent.version} on {creator.sent.at.date().isoformat()}"
    return text


def _days(count: int | None) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _change_word(change: BriefChange) -> str:
    if change.kind == "section":
        return str(change.section).replace("_", " ")
    if change.deliverable is not None:
        return f"{change.deliverable.id} {change.kind.replace('_', ' ')}"
    return change.kind.replace("_", " ")
