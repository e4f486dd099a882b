"""`briefkit new`: a campaign to start from, valid as written.

It writes `briefs/<id>/` with a commented `campaign.yaml` that uses every
section of the format, one creator in `creators/`, a placeholder logo, and the
JSON Schemas in `.briefkit/` that the files' `# yaml-language-server` lines
point editors at. Dates are set a few weeks ahead of today, in order, so the
campaign validates the day it is made.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from pathlib import Path
from string import Template

from ..diagnostics import UsageError
from ..load import BRIEFS_DIR
from ..model import MAX_SLUG, SLUG_PATTERN, json_schema_text
from ..write import current_umask, write_atomically

SCHEMA_FOLDER = ".briefkit"
CREATOR_FILE = "creators/example-creator.yaml"
HERE = Path(__file__).parent
PLACEHOLDER_LOGO = HERE / "logo.svg"  # "YOUR LOGO": validation warns while a campaign still shows it


class ScaffoldError(UsageError):
    """The id is not a slug, or the campaign exists already."""


def new_campaign(root: Path, campaign_id: str, today: dt.date) -> list[Path]:
    """Write the new campaign `campaign_id` and the schemas; the files written, in order."""
    if not re.match(SLUG_PATTERN, campaign_id) or len(campaign_id) > MAX_SLUG:
        shown = campaign_id if len(campaign_id) <= 40 else campaign_id[:37] + "..."
        raise ScaffoldError(f"{shown!r} cannot be a campaign id: use at most {MAX_SLUG} lower-case letters, "
                            "digits and dashes, starting with a letter or digit, e.g. spring-launch")
    target = root / BRIEFS_DIR / campaign_id
    if target.exists():
        raise ScaffoldError(f"{target.relative_to(root).as_posix()}/ exists already; "
                            "choose another id, or edit that campaign")
    values = _values(campaign_id, today)
    files = {
        "campaign.yaml": _filled("campaign.yaml", values),
        CREATOR_FILE: _filled("creator.yaml", values),
        "assets/logo.svg": PLACEHOLDER_LOGO.read_bytes(),
    }
    # Written beside the target and renamed into place, so a campaign is never half there.
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{campaign_id}."))
    try:
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
        os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp makes folders private
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / name for name in files] + write_schemas(root) + _ignore_output(root)


def _ignore_output(root: Path) -> list[Path]:
    """A `.gitignore` that keeps the built packets (fees and codes) out of git, when the
    workspace has none."""
    path = root / ".gitignore"
    if path.exists():
        return []
    write_atomically(path, b"# Built by briefkit from briefs/: rebuild rather than commit.\noutput/\n")
    return [path]


def write_schemas(root: Path) -> list[Path]:
    """The campaign and creator schemas in `.briefkit/`, always for this briefkit's format."""
    written = []
    for kind in ("campaign", "creator"):
        path = root / SCHEMA_FOLDER / f"{kind}.schema.json"
        write_atomically(path, json_schema_text(kind).encode())
        written.append(path)
    return written


def _values(campaign_id: str, today: dt.date) -> dict[str, str]:
    def day(weeks: float) -> str:
        return (today + dt.timedelta(days=round(weeks * 7))).isoformat()

    return {"title": campaign_id.replace("-", " ").title(), "respond_by": day(2), "draft_due": day(4),
            "live_on": day(5), "window_start": day(5), "window_end": day(6)}


def _filled(name: str, values: dict[str, str]) -> bytes:
    return Template((HERE / name).read_text(encoding="utf-8")).substitute(values).encode()

