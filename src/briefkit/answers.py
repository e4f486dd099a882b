"""The creator's answer and what changed since (docs/answers.md), between resolve and render.

A brief's *version* is a short hash of what it says: the view `diff` compares, so it
changes exactly when that creator's brief changes, and not when another creator's
does or when the creator answers.

A creator who answered names the git revision of the brief they answered. That
revision's workspace is read from git on first need (`AnsweredBriefs`: one `git
archive` and one validation per distinct revision per build) and the creator's brief
there is compared with today's through the diff engine. Each difference becomes a
`BriefChange` that the theme words in the creator's language, money and dates.
Outside git, the version they answered is compared instead: the page can then say
that the brief changed, not what.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from .diagnostics import Diagnostic, Location, warning
from .diff import NOT_BLOCKING, Change, changes, creator_view
from .fingerprint import FileDigests
from .model import Deliverable, deadline_instant
from .resolve import BriefChange, CreatorBrief, resolve_workspace
from .revisions import Repository, Revision, RevisionError
from .validate import check_workspace

# What a creator agreed to (docs/answers.md): a change to one of these asks them to confirm again.
MATERIAL_KINDS = frozenset({"fee", "commission", "type", "product", "product_value", "ships_by", "payment_terms",
                            "extras", "added", "removed", "count", "draft_due", "live", "details"})
MATERIAL_SECTIONS = frozenset({"usage_rights"})
# The sections a change to the rest of the brief is named by, in the page's order.
SECTIONS = {"title": "overview", "brand": "overview", "overview": "overview", "objectives": "overview",
            "audience": "overview", "key_messages": "overview", "creative": "creative", "disclosure": "disclosure",
            "review": "review", "usage_rights": "usage_rights", "tracking": "tracking", "assets": "assets",
            "contact": "contact"}
SECTION_ORDER = ["why_you", "overview", "creative", "disclosure", "review", "usage_rights", "tracking", "assets",
                 "contact"]


State = Literal["invited", "overdue", "accepted", "changed", "declined"]
STATES: tuple[State, ...] = ("invited", "overdue", "accepted", "changed", "declined")
# How the team's own tools (`status`, the team overview) name the states, in English.
STATE_WORDS: dict[State, str] = {"invited": "invited", "overdue": "overdue", "accepted": "accepted",
                                 "changed": "to confirm again", "declined": "declined"}


def state_of(brief: CreatorBrief, moment: dt.datetime) -> tuple[State, int | None]:
    """Where a creator stands at `moment` (docs/answers.md), with the days left to reply
    (invited) or past the reply-by day (overdue): "changed" is accepted, with a change to
    the deal since, to confirm again."""
    answer = brief.answer
    if answer is not None:
        return ("changed" if answer.needs_confirming else answer.status), None
    zone = ZoneInfo(brief.campaign_timezone)
    due = brief.respond_by
    day = due.astimezone(zone).date() if isinstance(due, dt.datetime) else due
    days = (day - moment.astimezone(zone).date()).days
    return ("overdue", -days) if deadline_instant(due, brief.campaign_timezone) < moment else ("invited", days)


def brief_version(brief: CreatorBrief, digest: FileDigests) -> str:
    """Eight hex digits naming what the brief says."""
    view = json.dumps(creator_view(brief, digest), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(view.encode()).hexdigest()[:8]


@dataclass
class AnsweredBriefs:
    """The briefs creators answered, read from the workspace's git history on first need."""

    root: Path
    problems: list[Diagnostic] = field(default_factory=list)
    _commits: dict[str, str | None] = field(default_factory=dict)
    _briefs: dict[str, dict[tuple[str, str], CreatorBrief]] = field(default_factory=dict)

    def commit(self, revision: str) -> str | None:
        """The full commit `revision` names; None outside git or for a revision git does not
        know (validation reports both)."""
        if revision not in self._commits:
            repository = self.repository
            try:
                self._commits[revision] = repository.revision(revision).commit if repository else None
            except RevisionError:
                self._commits[revision] = None
        return self._commits[revision]

    def brief(self, commit: str, campaign_id: str, slug: str) -> CreatorBrief | None:
        """The creator's brief at `commit`; None when it had no such creator or does not
        validate any more."""
        if commit not in self._briefs:
            self._briefs[commit] = self._read(commit)
        return self._briefs[commit].get((campaign_id, slug))

    def _read(self, commit: str) -> dict[tuple[str, str], CreatorBrief]:
        repository = self.repository
        assert repository is not None  # a commit was found
        with repository.checkout(Revision(None, commit)) as root:
            workspace, diagnostics = check_workspace(root)
            errors = [d for d in diagnostics if d.is_error and d.code not in NOT_BLOCKING]
            if errors:
                self.problems.append(warning(
                    Location(errors[0].location.file, 0),
                    f"the briefs answered at {commit[:10]} cannot be read: that revision has {len(errors)} "
                    f"error{'s' * (len(errors) != 1)} for this briefkit (the first: {errors[0].message})",
                    "the creators who answered it see no list of changes; `briefkit respond` them again "
                    "to compare with a newer revision", "answer"))
                return {}
            return {(b.campaign_id, b.creator.slug): b for b in resolve_workspace(workspace)}

    @cached_property
    def repository(self) -> Repository | None:
        """The git repository of the workspace, looked for once; None outside git."""
        return Repository.of(self.root)


def with_answer(brief: CreatorBrief, digest: FileDigests, answered: AnsweredBriefs) -> CreatorBrief:
    """`brief` with its version, and with what changed since the brief its creator answered."""
    version = brief_version(brief, digest)
    answer = brief.answer
    if answer is None:
        return brief.model_copy(update={"version": version})
    commit = answered.commit(answer.revision) if answer.revision else None
    before = answered.brief(commit, brief.campaign_id, brief.creator.slug) if commit else None
    if before is not None:
        found = changes_since(before, brief, digest)
        answer = answer.model_copy(update={"changes": found, "changed": bool(found),
                                           "answered_version": brief_version(before, digest)})
    elif answer.answered_version is not None:
        answer = answer.model_copy(update={"changed": answer.answered_version != version})
    return brief.model_copy(update={"version": version, "answer": answer})


def compared_revision(brief: CreatorBrief, answered: AnsweredBriefs) -> str:
    """What a packet's key must cover of the answer: the commit the creator's brief is
    compared with (a branch name may move), or nothing to compare."""
    answer = brief.answer
    if answer is None or answer.revision is None:
        return ""
    return answered.commit(answer.revision) or ""


def changes_since(before: CreatorBrief, now: CreatorBrief, digest: FileDigests) -> list[BriefChange]:
    """How `now` differs from `before`, item by item, in the page's order: the offer,
    the deliverables, the reply-by date, then a line per other section that changed."""
    found: list[BriefChange] = []
    sections: set[str] = set()
    details: set[str] = set()
    for change in changes(creator_view(before, digest), creator_view(now, digest)):
        head = change.key[0]
        if head == "offer":
            found.append(_offer_change(change, before, now))
        elif head == "deliverables":
            found += _deliverable_change(change, before, now, details)
        elif head == "respond_by":
            found.append(BriefChange(kind="respond_by", material=False, old=before.respond_by, new=now.respond_by))
        elif head == "creator" and change.key[1:2] == ("why_you",):
            sections.add("why_you")
        elif head in SECTIONS:
            sections.add(SECTIONS[head])
        # The creator's own channels, language and time zone are theirs, not the deal.
    found += [BriefChange(kind="section", section=key, material=key in MATERIAL_SECTIONS)
              for key in SECTION_ORDER if key in sections]
    return found


def _offer_change(change: Change, before: CreatorBrief, now: CreatorBrief) -> BriefChange:
    term = change.key[1]
    old, new = before.offer, now.offer
    if term == "fee":
        return BriefChange(kind="fee", material=True, old=old.fee, new=new.fee)
    if term == "commission_percent":
        return BriefChange(kind="commission", material=True, old=old.commission_percent,
                           new=new.commission_percent)
    if term == "type":
        return BriefChange(kind="type", material=True, old=old.type, new=new.type)
    if term == "product":
        part = change.key[2] if len(change.key) > 2 and old.product and new.product else "name"
        kind = {"name": "product", "value": "product_value", "ships_by": "ships_by"}[part]
        attribute = {"product": "name", "product_value": "value", "ships_by": "ships_by"}[kind]
        return BriefChange(kind=kind, material=True,
                           old=getattr(old.product, attribute) if old.product else None,
                           new=getattr(new.product, attribute) if new.product else None)
    return BriefChange(kind=term, material=True, old=getattr(old, term), new=getattr(new, term))


def _deliverable_change(change: Change, before: CreatorBrief, now: CreatorBrief,
                        details: set[str]) -> list[BriefChange]:
    deliverable_id = change.key[1]
    old = next((d for d in before.deliverables if d.id == deliverable_id), None)
    new = next((d for d in now.deliverables if d.id == deliverable_id), None)
    if old is None or new is None:
        return [BriefChange(kind="added" if old is None else "removed", material=True, deliverable=new or old)]
    part = change.key[2] if len(change.key) > 2 else ""
    if part == "count":
        return [BriefChange(kind="count", material=True, deliverable=new, old=old.count, new=new.count)]
    if part == "draft_due":
        return [BriefChange(kind="draft_due", material=True, deliverable=new, old=old.draft_due, new=new.draft_due)]
    if part == "live":
        return [BriefChange(kind="live", material=True, deliverable=new, **_live("old", old), **_live("new", new))]
    if deliverable_id in details:  # one line for all of a deliverable's other details
        return []
    details.add(deliverable_id)
    return [BriefChange(kind="details", material=True, deliverable=new)]


def _live(side: str, deliverable: Deliverable) -> dict[str, object]:
    """A go-live day, or a window's first and last day, as `BriefChange` holds them."""
    window = deliverable.live_window
    if window is not None:
        return {side: window.start, f"{side}_until": window.end}
    return {side: deliverable.live_on}
