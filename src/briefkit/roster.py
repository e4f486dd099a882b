"""`briefkit export`: a campaign's roster for finance and fulfilment (docs/spreadsheets.md).

One row per creator with what their brief says: who, where, the deal (money as a number
beside its currency, so that a sheet can add it up), the discount code and tracking
links, where their packet is, their answer, and the dates. The same roster imports back with
`briefkit import`: its columns are among those the importer reads or knowingly skips.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from .build import packet_folder
from .model import Campaign, Creator, go_live, now, shown_handle
from .resolve import CreatorBrief, resolve_creator
from .sheets import CellValue, csv_bytes, xlsx_bytes
from .validate import SECRET_VARIABLE, Workspace

PLATFORM_NAMES = {"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube", "facebook": "Facebook",
                  "pinterest": "Pinterest", "x": "X", "linkedin": "LinkedIn", "twitch": "Twitch",
                  "snapchat": "Snapchat", "threads": "Threads", "blog": "Blog", "podcast": "Podcast"}
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def roster(workspace: Workspace, campaign: Campaign) -> tuple[list[str], list[list[CellValue]], dict[int, str]]:
    """The header, the rows and the number format of each typed column (by index)."""
    platforms = [p for p in PLATFORM_NAMES if any(p in c.platforms for c in campaign.creators)]
    header = ["Handle", "Name", "Email", "Country", "Language", "Tier", "Offer", "Fee", "Currency",
              "Commission %", "Product", "Product value", "Product currency", "Discount code"]
    header += [f"{PLATFORM_NAMES[p]} followers" for p in platforms]
    header += [f"{PLATFORM_NAMES[p]} link" for p in platforms]
    header += ["Packet", "Answer", "Answered on", "Respond by", "First draft due", "First go-live"]
    secret = os.environ.get(SECRET_VARIABLE, "") if workspace.settings.private_links else ""
    base = workspace.settings.base_url or ""
    rows = []
    for creator in campaign.creators:
        brief = resolve_creator(campaign, creator)
        rows.append(_row(creator, brief, platforms, _packet_address(base, workspace, brief, secret)))
    typed = {header.index(name): MONEY_FORMAT for name in ("Fee", "Product value")}
    typed |= {header.index(name): DATE_FORMAT
              for name in ("Answered on", "Respond by", "First draft due", "First go-live")}
    return header, rows, typed


def _row(creator: Creator, brief: CreatorBrief, platforms: list[str], packet: str) -> list[CellValue]:
    offer, view = brief.offer, brief.creator
    product = offer.product
    links = {link.platform: link.url for link in brief.tracking.links} if brief.tracking else {}
    drafts = sorted(_day(d.draft_due) for d in brief.deliverables if d.draft_due)
    lives = sorted(_day(when) for d in brief.deliverables if (when := go_live(d)))
    return [
        shown_handle(creator.handle), view.name, creator.email, view.region, view.locale, view.tier, offer.type,
        offer.fee.value if offer.fee else None, offer.fee.currency if offer.fee else None,
        offer.commission_percent, product.name if product else None,
        product.value.value if product and product.value else None,
        product.value.currency if product and product.value else None,
        brief.tracking.discount_code if brief.tracking else None,
        *[view.platforms.get(p) for p in platforms],
        *[links.get(p) for p in platforms],
        packet, creator.response.status if creator.response else None,
        creator.response.on if creator.response else None,
        _day(brief.respond_by), drafts[0] if drafts else None, lives[0] if lives else None,
    ]


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _packet_address(base: str, workspace: Workspace, brief: CreatorBrief, secret: str) -> str:
    """The packet's address where `output/` is published (`base_url`), else its path."""
    folder = packet_folder(brief, secret)
    if base:
        return f"{base.rstrip('/')}/{folder}/"
    return f"{workspace.settings.output.rstrip('/')}/{folder}/index.html"


def export_bytes(workspace: Workspace, campaign: Campaign, file_format: str) -> bytes:
    header, rows, typed = roster(workspace, campaign)
    if file_format == "csv":
        return csv_bytes(header, rows)
    return xlsx_bytes(f"{campaign.id} roster", header, rows, typed, now())


def default_name(campaign: Campaign, file_format: str) -> Path:
    return Path(f"{campaign.id}-roster.{file_format}")
