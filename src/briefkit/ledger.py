"""`briefs/<campaign>/sent.yaml`: which version of whose brief was sent, and when.

`briefkit mail --send` appends to it (docs/mail.md); `status` shows what was sent, and
`respond` takes the revision of the brief last sent to a creator as the one they answered.
Each entry: `handle`, `version`, `revision` (when in git), `at` (date and time), `message_id`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .diagnostics import UsageError
from .model import handle_key
from .yamlfile import plain_data

SENT_FILE = "sent.yaml"


class LedgerError(UsageError):
    """sent.yaml is not a list of sent messages."""


@dataclass(frozen=True)
class Sent:
    handle: str
    version: str
    revision: str | None
    at: dt.datetime
    message_id: str | None


def read_sent(path: Path) -> list[Sent]:
    """The entries of a sent.yaml, oldest first; none when there is no such file."""
    if not path.is_file():
        return []
    try:
        data = plain_data(path.read_text(encoding="utf-8")) or []
        return [Sent(str(e["handle"]), str(e["version"]), str(e["revision"]) if e.get("revision") else None,
                     _moment(e["at"]), str(e["message_id"]) if e.get("message_id") else None) for e in data]
    except (yaml.YAMLError, UnicodeDecodeError, KeyError, TypeError, ValueError, AttributeError) as broken:
        raise LedgerError(f"{path} is not a list of sent messages ({type(broken).__name__}: {broken}); "
                          "it is written by `briefkit mail --send`: restore it from git") from None


def last_sent(entries: list[Sent], handle: str) -> Sent | None:
    """The latest message sent to the creator with `handle`."""
    key = handle_key(handle)
    return next((e for e in reversed(entries) if handle_key(e.handle) == key), None)


def _moment(value: object) -> dt.datetime:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
