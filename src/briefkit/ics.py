"""The creator's deadlines as `calendar.ics` (RFC 5545), part of rendering a packet.

Events: the brief's deadlines (`CreatorBrief.deadlines`): the reply-by date, the
product's shipping date, every draft due, and every go-live date or go-live
window of the creator's own deliverables. A deadline given as a date is an
all-day event on that day (the text says by the end of which time zone's day);
one given with a time is a half-hour event ending at that moment, written in
the creator's time zone with its VTIMEZONE. UIDs name campaign, creator and
deadline, so an updated calendar replaces the old events when imported again. Once the
creator answered, the reply-by event is left out; an event whose date changed since
their answer gets a higher SEQUENCE, and a declined creator's events are CANCELLED.

Every text is written as RFC 5545 TEXT by `ics_text`, whatever it holds: a line break
of a multi-line title as `\\n`, a bare CR as a line break, and the control characters
TEXT cannot hold as visible escapes (`\\x1b`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import get_timezone_name

from .diagnostics import escaped_control
from .model import deadline_instant
from .resolve import CreatorBrief
from .theme import Labels, deliverable_name

if TYPE_CHECKING:
    from icalendar import Event

CALENDAR_NAME = "calendar.ics"
# A fixed stamp keeps builds byte-identical; clients match events by UID.
STAMP = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
TIMED_LENGTH = dt.timedelta(minutes=30)
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class _Entry:
    uid: str
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None  # the last day of a window; None for a deadline
    description: str
    due: bool  # something to hand in by the end of the day
    updated: bool  # changed since the creator's answer (or cancelled by it)


def calendar_file(brief: CreatorBrief, labels: Labels) -> bytes:
    """The creator's deadlines as the bytes of an .ics file."""
    # Imported here: a build with one packet to render imports it while its PDF is made.
    from icalendar import Calendar

    creator = brief.creator
    calendar = Calendar()
    calendar.add("prodid", "-//briefkit//creator brief//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(labels.text("calendar.name", campaign=brief.title)))
    calendar.add("x-wr-timezone", creator.timezone)
    entries = list(_entries(brief, labels))
    for entry in entries:
        calendar.add_component(_event(entry, brief, labels))
    days = [_day(when) for e in entries for when in (e.start, e.end) if when is not None]
    calendar.add_missing_timezones(first_date=min(days) - dt.timedelta(days=366),
                                   last_date=max(days) + dt.timedelta(days=366))
    return calendar.to_ical()


SUMMARIES = {"respond": "timeline.respond_by", "ships": "timeline.ships_by", "draft": "timeline.draft_due",
             "live": "timeline.live_on", "window": "calendar.window"}


# Which deadline a change since the creator's answer moves (answers.changes_since).
MOVES = {"ships_by": "ships", "draft_due": "draft", "live": "live"}


def _moved(brief: CreatorBrief) -> set[tuple[str, str | None]]:
    """The deadlines (kind, deliverable) whose dates changed since the creator's answer."""
    answer = brief.answer
    if answer is None:
        return set()
    moved = set()
    for change in answer.changes:
        if change.kind in MOVES:
            deliverable = change.deliverable.id if change.deliverable else None
            moved.add((MOVES[change.kind], deliverable))
            if change.kind == "live":
                moved.add(("window", deliverable))
    return moved


def _entries(brief: CreatorBrief, labels: Labels) -> Iterator[_Entry]:
    prefix = f"{brief.campaign_id}.{brief.creator.slug}"
    elsewhere = brief.creator.timezone != brief.campaign_timezone
    moved = _moved(brief)
    declined = brief.answer is not None and brief.answer.status == "declined"
    for d in brief.deadlines:
        if d.kind == "respond" and brief.answer is not None:
            continue  # answered: nothing left to do by that day
        name = deliverable_name(brief.deliverable(d.deliverable), labels) if d.deliverable else ""
        uid = ".".join(part for part in (d.kind, d.deliverable, prefix) if part)
        description = labels.text("calendar.reply_description", contact=brief.contact.name,
                                  email=brief.contact.email) if d.kind == "respond" else ""
        # A due day ends in the campaign's zone: for a creator elsewhere, it is that moment.
        when = deadline_instant(d.when, brief.campaign_timezone) if d.due and elsewhere else d.when
        yield _Entry(uid, labels.text(SUMMARIES[d.kind], deliverable=name), when, d.until, description,
                     due=d.due, updated=declined or (d.kind, d.deliverable) in moved)


def _event(entry: _Entry, brief: CreatorBrief, labels: Labels) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"{entry.uid}@briefkit")
    # An event changed since the creator's answer (or cancelled by a decline) is a newer
    # edition of the one their calendar holds: RFC 5545 apps replace an event whose
    # SEQUENCE is higher. Its stamp is the day after the answer, so builds stay identical.
    answer = brief.answer
    if entry.updated and answer is not None:
        event.add("dtstamp", dt.datetime.combine(answer.on + ONE_DAY, dt.time(0), dt.timezone.utc))
        event.add("sequence", 1)
    else:
        event.add("dtstamp", STAMP)
        event.add("sequence", 0)
    if answer is not None and answer.status == "declined":
        event.add("status", "CANCELLED")
    event.add("summary", _text(labels.text("calendar.event", what=entry.summary, campaign=brief.title)))
    start, end = _span(entry, brief)
    event.add("dtstart", start)
    event.add("dtend", end)
    notes = [entry.description] if entry.description else []
    if entry.due and not isinstance(entry.start, dt.datetime):
        zone = get_timezone_name(ZoneInfo(brief.campaign_timezone), width="long", zone_variant="generic",
                                 locale=labels.locale)
        notes.append(labels.text("calendar.end_of_day", timezone=zone))
    if brief.version:
        notes.append(labels.text("brief.version", version=brief.version))
    if notes:
        event.add("description", _text("\n".join(notes)))
    event.add("transp", "TRANSPARENT")  # a deadline does not make the creator busy
    return event


# What TEXT (RFC 5545, 3.3.11) cannot hold: C0 controls but the tab and the line break
# (written `\n`), DEL and C1 controls.
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TEXT_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"}


def ics_text(text: str) -> str:
    """`text` as the value of a TEXT property: a backslash, semicolon and comma escaped, a
    line break (LF, CRLF or a bare CR) as `\\n`, every other control character as a
    visible escape (`\\x1b`, which the calendar shows as written)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _NOT_TEXT.sub(lambda m: escaped_control(m[0]), text)
    return re.sub(r"[\\;,\n]", lambda m: _TEXT_ESCAPES[m[0]], text)


@functools.cache
def _text_type() -> type:
    # icalendar's own TEXT also reads a written `\N` as a line break and leaves other
    # controls raw, and an X- property it does not know is not escaped at all.
    from icalendar import vText

    class Text(vText):
        def to_ical(self) -> bytes:
            return ics_text(str(self)).encode(self.encoding)

    return Text


def _text(text: str) -> str:
    return _text_type()(text)


def _span(entry: _Entry, brief: CreatorBrief) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    """Start and (exclusive) end: whole days for dates, the creator's clock for times."""
    zone = ZoneInfo(brief.creator.timezone)
    if entry.end is None:
        if isinstance(entry.start, dt.datetime):
            at = entry.start.astimezone(zone)
            return at - TIMED_LENGTH, at
        return entry.start, entry.start + ONE_DAY
    if not isinstance(entry.start, dt.datetime) and not isinstance(entry.end, dt.datetime):
        return entry.start, entry.end + ONE_DAY
    # A window mixing a day and a moment: the day runs in the campaign's time zone.
    campaign_zone = ZoneInfo(brief.campaign_timezone)
    start = entry.start if isinstance(entry.start, dt.datetime) \
        else dt.datetime.combine(entry.start, dt.time(0), campaign_zone)
    end = entry.end if isinstance(entry.end, dt.datetime) \
        else dt.datetime.combine(entry.end + ONE_DAY, dt.time(0), campaign_zone)
    return start.astimezone(zone), end.astimezone(zone)


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
