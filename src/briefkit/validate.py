"""Stage 2, validate: check every loaded file against the model and the format's
cross-field rules, and return the valid campaigns with all diagnostics.

Each campaign body and each creator is validated on its own, so one broken
creator does not hide the errors of the others, and the cross-field rules still
run on everything that is valid.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from . import disclosure, placeholders
from .diagnostics import Diagnostic, KeyPath, Location, Severity, in_file_order
from .explain import diagnostics_for
from .load import CampaignSource, WorkspaceSource, load_workspace
from .model import (Campaign, Creator, Deliverable, Settings, creator_deliverables, creator_tier,
                    deadline_instant, go_live, handle_key, slug_from_handle)
from .theme import Theme, load_theme
from .yamlfile import Sourced

SECRET_VARIABLE = "BRIEFKIT_SECRET"
LOGO_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"})


@dataclass(frozen=True)
class Workspace:
    """A validated workspace. Paths in it are relative to `root`; every creator has a slug."""

    root: Path
    settings: Settings
    campaigns: list[Campaign] = field(default_factory=list)


def check_workspace(root: Path, only: list[Path] | None = None) -> tuple[Workspace, list[Diagnostic]]:
    """Load and validate the workspace at `root`; diagnostics deduplicated, in file order."""
    workspace, problems = validate_workspace(load_workspace(root, only))
    return workspace, in_file_order(problems)


def validate_workspace(source: WorkspaceSource) -> tuple[Workspace, list[Diagnostic]]:
    problems = list(source.diagnostics)
    settings = _validated(Settings, source.settings, problems) or Settings()
    problems += _check_settings(source, settings)
    theme = load_theme(source.root, settings.theme)
    campaigns: dict[str, Campaign] = {}
    for campaign_source in source.campaigns:
        checked = _CampaignCheck.run(source.root, theme, campaign_source, problems)
        if checked is None:
            continue
        if checked.id in campaigns:
            problems.append(_error(campaign_source.campaign.locate(("id",)),
                                   f"campaign id `{checked.id}` is used by another campaign too",
                                   "give each campaign its own id", "duplicate"))
            continue
        campaigns[checked.id] = checked
    return Workspace(source.root, settings, list(campaigns.values())), problems


def _validated(model: type[BaseModel], source: Sourced, problems: list[Diagnostic]) -> Any:
    try:
        return model.model_validate(source.data)
    except ValidationError as error:
        restored = _as_written(source, error)
        if restored is not source:
            return _validated(model, restored, problems)
        problems.extend(diagnostics_for(error, source, model))
        return None


def _as_written(source: Sourced, error: ValidationError) -> Sourced:
    """The source with one-line `a: b` mappings turned back into text where text was expected.

    `- Vitamin C without the sting: gentle enough` is a mapping to YAML, but a
    sentence to the person who wrote it; where the model wants text, we take the
    line as written. Returns `source` itself when there is nothing to restore.
    """
    found = {}
    for item in error.errors(include_url=False):
        path = tuple(step for step in item["loc"] if not isinstance(step, str) or "[" not in step)
        if item["type"] == "string_type" and path in source.plain_pairs:
            found[path] = source.plain_pairs[path]
    if not found:
        return source
    data = copy.deepcopy(source.data)
    for path, text in found.items():
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = text
    pairs = {p: t for p, t in source.plain_pairs.items() if p not in found}
    return Sourced(data, source.values, source.keys, pairs)


def _error(location: Location, message: str, hint: str = "", code: str = "invalid") -> Diagnostic:
    return Diagnostic(location, message, hint, Severity.ERROR, code)


def _warning(location: Location, message: str, hint: str = "", code: str = "invalid") -> Diagnostic:
    return Diagnostic(location, message, hint, Severity.WARNING, code)


# --- workspace-wide rules ------------------------------------------------------


def _check_settings(source: WorkspaceSource, settings: Settings) -> list[Diagnostic]:
    problems = []
    where = source.settings.locate
    if settings.theme != "default" and not (source.root / "themes" / settings.theme).is_dir():
        problems.append(_error(where(("theme",)), f"theme folder themes/{settings.theme}/ does not exist",
                               "create it, or write `theme: default`", "path"))
    out = PurePosixPath(settings.output)
    if out.is_absolute() or ".." in out.parts or out.parts[:1] in ((), (".",), ("briefs",), ("themes",)):
        problems.append(_error(where(("output",)), f"`output: {settings.output}` is not a safe output folder",
                               "use a folder of its own inside the workspace, e.g. output", "path"))
    if settings.private_links and not os.environ.get(SECRET_VARIABLE):
        problems.append(_error(where(("private_links",)),
                               f"private links need a secret in the {SECRET_VARIABLE} environment variable",
                               f"set {SECRET_VARIABLE} to a long random text, or write `private_links: false`",
                               "secret"))
    return problems


def _folder_id(folder: str) -> str:
    return PurePosixPath(folder).name


# --- one campaign --------------------------------------------------------------


@dataclass
class _CampaignCheck:
    root: Path
    theme: Theme
    source: CampaignSource
    campaign: Campaign
    creators: list[tuple[Creator, Sourced]]
    problems: list[Diagnostic] = field(default_factory=list)

    @classmethod
    def run(cls, root: Path, theme: Theme, source: CampaignSource,
            problems: list[Diagnostic]) -> Campaign | None:
        campaign = _validated(Campaign, source.campaign, problems)
        creators = []
        for creator_source in source.creators:
            creator = _validated(Creator, creator_source, problems)
            if creator is not None:
                creators.append((creator, creator_source))
        if campaign is None:
            return None
        check = cls(root, theme, source, campaign, creators)
        result = check.checked_campaign()
        problems.extend(check.problems)
        return result

    def checked_campaign(self) -> Campaign:
        campaign_id = self._campaign_id()
        self.creators = [(self._with_slug(c, s), s) for c, s in self.creators]
        self.campaign = self.campaign.model_copy(update={"id": campaign_id})
        for rule in (self._dates, self._offer, self._budget, self._unique, self._creator_deliverables,
                     self._placeholders, self._tiers, self._disclosure, self._locales):
            self.problems.extend(rule())
        return self._with_workspace_paths().model_copy(
            update={"creators": [c for c, _ in self.creators]})

    # identity ----------------------------------------------------------------

    def _campaign_id(self) -> str:
        if self.campaign.id:
            return self.campaign.id
        name = _folder_id(self.source.folder)
        if not slug_from_handle(name) == name:
            self.problems.append(_error(
                self.source.campaign.locate(()),
                f"the folder name `{name}` cannot be the campaign id",
                f"add `id: {slug_from_handle(name) or 'my-campaign'}` to campaign.yaml", "id"))
        return name

    def _with_slug(self, creator: Creator, source: Sourced) -> Creator:
        if creator.slug:
            return creator
        slug = slug_from_handle(creator.handle)
        if not slug:
            self.problems.append(_error(source.locate(("handle",)),
                                        f"cannot make a folder name from the handle `{creator.handle}`",
                                        "add `slug:` with lowercase letters, digits and hyphens", "slug"))
            # A distinct stand-in keeps later rules (unique slugs) from adding noise
            # about this creator; the error above already stops any build.
            slug = f"creator-{len(self.problems)}"
        return creator.model_copy(update={"slug": slug})

    # dates -------------------------------------------------------------------

    def _dates(self) -> Iterator[Diagnostic]:
        where = self.source.campaign.locate
        for index, deliverable in enumerate(self.campaign.deliverables):
            for key, message, hint in self._date_problems(deliverable):
                yield _error(where(("deliverables", index, *key)), message, hint, "dates")
            yield from self._shipping(deliverable, ("deliverables", index))
        for creator, source in self.creators:
            overrides = {item.id: index for index, item in enumerate(creator.deliverables or [])
                         if not isinstance(item, str) and (item.draft_due or item.live_on)}
            for deliverable in creator_deliverables(self.campaign, creator):
                if deliverable.id in overrides:
                    for key, message, hint in self._date_problems(deliverable):
                        path = ("deliverables", overrides[deliverable.id], *key)
                        yield _error(source.locate(path), f"{creator.handle}: {message}", hint, "dates")

    def _date_problems(self, deliverable: Deliverable) -> Iterator[tuple[KeyPath, str, str]]:
        tz = self.campaign.timezone
        respond_by = self.campaign.respond_by
        window = deliverable.live_window
        if deliverable.live_on is not None and window is not None:
            yield (("live_window",), "set either live_on or live_window, not both",
                   "keep the one you mean")
        if window and deadline_instant(window.start, tz) > deadline_instant(window.end, tz):
            yield (("live_window", "end"), f"the go-live window ends ({_day(window.end)}) "
                   f"before it starts ({_day(window.start)})", "swap start and end")
        live = go_live(deliverable)
        live_key = ("live_on",) if deliverable.live_on is not None else ("live_window", "start")
        draft = deliverable.draft_due
        if draft is not None and deadline_instant(draft, tz) < deadline_instant(respond_by, tz):
            yield (("draft_due",), f"the draft is due {_day(draft)}, before the respond-by date "
                   f"{_day(respond_by)}", "creators accept first: move draft_due after respond_by")
        if draft is None and live is not None and \
                deadline_instant(live, tz) < deadline_instant(respond_by, tz):
            yield (live_key, f"goes live {_day(live)}, before the respond-by date {_day(respond_by)}",
                   "move the go-live date after respond_by")
        if draft is not None and live is not None:
            days = self.campaign.review.turnaround_days
            review_period = dt.timedelta(days=days)
            if deadline_instant(draft, tz) + review_period > deadline_instant(live, tz):
                reviewed = draft + review_period
                yield (live_key, f"goes live {_day(live)}, but the draft is due {_day(draft)} and "
                       f"review takes {days} day{'s' * (days != 1)} (until {_day(reviewed)})",
                       "move the go-live date later or the draft date earlier")

    def _shipping(self, deliverable: Deliverable, path: KeyPath) -> Iterator[Diagnostic]:
        product = self.campaign.offer.product
        due = deliverable.draft_due or go_live(deliverable)
        if product and product.ships_by and due and product.ships_by > _as_date(due):
            yield _warning(self.source.campaign.locate(path), f"the product ships {_day(product.ships_by)}, "
                           f"after `{deliverable.id}` is due ({_day(due)})",
                           "ship earlier or give creators more time", "dates")

    # offer and money ---------------------------------------------------------

    def _offer(self) -> Iterator[Diagnostic]:
        offer = self.campaign.offer
        where = self.source.campaign.locate(("offer", "type"))
        needs = {"fee": offer.type in ("paid", "hybrid"),
                 "product": offer.type in ("gifted", "hybrid"),
                 "commission_percent": offer.type == "affiliate"}
        for key, needed in needs.items():
            if not needed or getattr(offer, key) is not None:
                continue
            lacking = [(c, s) for c, s in self.creators if getattr(c, key) is None]
            if lacking and len(lacking) == len(self.creators):
                yield _error(where, f"a {offer.type} offer needs `{key}`",
                             f"add `{key}:` under `offer:`, or to every creator", "offer")
                continue
            for creator, source in lacking:
                yield _error(source.locate(()), f"{creator.handle} has no `{key}`, and the campaign's "
                             f"{offer.type} offer sets none", f"add `{key}:` to this creator, "
                             f"or under `offer:` in campaign.yaml", "offer")
        if offer.type in ("gifted", "affiliate"):
            for creator, source in self.creators:
                if creator.fee is not None:
                    yield _warning(source.locate(("fee",)), f"the offer is {offer.type}, so this fee "
                                   "is not shown to the creator", "set `offer.type: hybrid` or "
                                   "`paid` to pay a fee", "offer")

    def _budget(self) -> Iterator[Diagnostic]:
        budget = self.campaign.budget
        if budget is None or self.campaign.offer.type not in ("paid", "hybrid"):
            return
        fees = [c.fee if c.fee is not None else self.campaign.offer.fee for c, _ in self.creators]
        total = sum(fee for fee in fees if fee is not None)
        if total > budget:
            yield _error(self.source.campaign.locate(("budget",)),
                         f"creator fees add up to {total:,} {self.campaign.currency}, more than "
                         f"the budget of {budget:,}", "raise the budget or lower some fees", "budget")

    # uniqueness ------------------------------------------------------------

    def _unique(self) -> Iterator[Diagnostic]:
        seen_ids: set[str] = set()
        for index, deliverable in enumerate(self.campaign.deliverables):
            if deliverable.id in seen_ids:
                yield _error(self.source.campaign.locate(("deliverables", index, "id")),
                             f"deliverable id `{deliverable.id}` is used twice",
                             "give each deliverable its own id", "duplicate")
            seen_ids.add(deliverable.id)
        yield from self._unique_per_creator("handle", lambda c: handle_key(c.handle))
        yield from self._unique_per_creator("slug", lambda c: c.slug)
        yield from self._unique_per_creator("discount_code", self._discount_code, "discount code")

    def _unique_per_creator(self, key: str, value_of: Any, label: str = "") -> Iterator[Diagnostic]:
        first: dict[str, Location] = {}
        for creator, source in self.creators:
            written = value_of(creator)
            if written is None or placeholders.names_in(written):
                continue  # unfilled placeholders are reported on their own
            value = written.casefold()
            location = source.locate((key,))
            if value in first:
                earlier = first[value]
                yield _error(location, f"{label or key} `{written}` is also used in "
                             f"{earlier.file} (line {earlier.line})",
                             f"each creator needs their own {label or key}", "duplicate")
            first.setdefault(value, location)

    def _discount_code(self, creator: Creator) -> str | None:
        tracking = self.campaign.tracking
        pattern = creator.discount_code or (tracking.discount_code if tracking else None)
        if pattern is None:
            return None
        return placeholders.fill(pattern, placeholders.creator_values(self.campaign.id, creator))

    # deliverables of each creator ---------------------------------------------

    def _creator_deliverables(self) -> Iterator[Diagnostic]:
        by_id = {d.id: d for d in self.campaign.deliverables}
        for creator, source in self.creators:
            seen: set[str] = set()
            for index, item in enumerate(creator.deliverables or []):
                deliverable_id = item if isinstance(item, str) else item.id
                location = source.locate(("deliverables", index))
                if deliverable_id not in by_id:
                    close = difflib.get_close_matches(deliverable_id, list(by_id), n=1)
                    yield _error(location, f"the campaign has no deliverable `{deliverable_id}`",
                                 f"did you mean `{close[0]}`?" if close else
                                 f"campaign deliverables: {', '.join(by_id)}", "deliverable")
                elif by_id[deliverable_id].platform not in creator.platforms:
                    platform = by_id[deliverable_id].platform
                    yield _error(location, f"`{deliverable_id}` is on {platform}, which "
                                 f"{creator.handle} does not have",
                                 f"add {platform} under `platforms:` or remove `{deliverable_id}`",
                                 "deliverable")
                if deliverable_id in seen:
                    yield _error(location, f"`{deliverable_id}` is listed twice",
                                 "list each deliverable once; use `count:` for more pieces",
                                 "duplicate")
                seen.add(deliverable_id)
            if not creator_deliverables(self.campaign, creator):
                yield _warning(source.locate(()), f"{creator.handle} has no deliverables on their "
                               "platforms", "add a deliverable for one of their platforms",
                               "deliverable")

    # placeholders ------------------------------------------------------------

    def _placeholders(self) -> Iterator[Diagnostic]:
        yield from _placeholder_problems(self.source.campaign, _campaign_scope)
        for _, source in self.creators:
            yield from _placeholder_problems(source, _creator_scope)

    # disclosure --------------------------------------------------------------

    def _disclosure(self) -> Iterator[Diagnostic]:
        campaign, where = self.campaign, self.source.campaign.locate
        label = campaign.disclosure.label
        for creator, _ in self.creators:
            applying = disclosure.creator_jurisdictions(campaign, creator)
            for jurisdiction in disclosure.refusing(label, applying) if label else []:
                why = "publishes from" if jurisdiction.region == creator.region else "has an audience in"
                yield _error(where(("disclosure", "label")),
                             f"`{label}` is not a disclosure label {jurisdiction.region} "
                             f"({jurisdiction.name}) accepts, and {creator.handle} {why} {jurisdiction.region}",
                             f"accepted there: {', '.join(jurisdiction.accepted)}; or remove `label:` "
                             "and briefkit gives each creator the right one", "disclosure")
            values = placeholders.text_values(campaign.id, creator,
                                              disclosure.creator_label(campaign, applying))
            for index, caption in enumerate(campaign.creative.example_captions):
                filled = placeholders.fill(caption, values)
                for finding in disclosure.lint_for_creator(filled, campaign, applying):
                    yield _warning(where(("creative", "example_captions", index)),
                                   f"for {creator.handle}, this example fails: {finding.message}",
                                   finding.hint, "caption")

    # languages ---------------------------------------------------------------

    def _locales(self) -> Iterator[Diagnostic]:
        """A locale without labels in the theme (or unknown to Babel) makes an English brief."""
        campaign_uses_it = any(c.locale is None for c, _ in self.creators)
        written = [(self.campaign.locale, self.source.campaign)] if campaign_uses_it else []
        written += [(c.locale, s) for c, s in self.creators if c.locale is not None]
        for locale, source in written:
            page = self.theme.page_locale(locale)
            if page != locale:
                yield _warning(source.locate(("locale",)),
                               f"briefkit has no labels in {_language_name(locale)}, so briefs for "
                               f"`{locale}` are written in English (with `{page}` dates and numbers)",
                               f"choose one of {', '.join(sorted(self.theme.languages))}, or add "
                               f"themes/<your theme>/labels/{locale.split('-')[0].lower()}.yaml "
                               "with the keys of the default theme's labels/en.yaml", "locale")

    # tiers -------------------------------------------------------------------

    def _tiers(self) -> Iterator[Diagnostic]:
        for creator, source in self.creators:
            computed = creator_tier(creator)
            if creator.tier and creator.tier != computed:
                followers = max(a.followers for a in creator.platforms.values())
                yield _warning(source.locate(("tier",)), f"declared tier `{creator.tier}` disagrees "
                               f"with {followers:,} followers, which is `{computed}`",
                               "remove `tier:`; briefkit computes it", "tier")

    # paths -------------------------------------------------------------------

    def _with_workspace_paths(self) -> Campaign:
        campaign = self.campaign
        where = self.source.campaign.locate
        if campaign.brand.logo:
            found = len(self.problems)
            logo = self._workspace_path(campaign.brand.logo, where(("brand", "logo")))
            if len(self.problems) == found and PurePosixPath(logo).suffix.lower() not in LOGO_SUFFIXES:
                self.problems.append(_error(where(("brand", "logo")),
                                            f"`{campaign.brand.logo}` is not an image briefs can show",
                                            "use an SVG (best: sharp in the PDF), PNG or JPEG file", "path"))
            campaign = campaign.model_copy(update={"brand": campaign.brand.model_copy(update={"logo": logo})})
        assets = [asset.model_copy(update={"path": self._workspace_path(asset.path, where(("assets", i, "path")))})
                  for i, asset in enumerate(campaign.assets)]
        return campaign.model_copy(update={"assets": assets})

    def _workspace_path(self, written: str, location: Location) -> str:
        """The file `written` in the file at `location`, relative to the workspace root."""
        if "://" in written:
            self.problems.append(_error(location, "files must be in the workspace, not on the web",
                                        "download the file into the campaign's assets/ folder", "path"))
            return written
        if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute():
            self.problems.append(_error(location, f"`{written}` is an absolute path",
                                        "write the path relative to this file, e.g. assets/logo.svg",
                                        "path"))
            return written
        base = (self.root / location.file).parent
        target = (base / written).resolve()
        if target != self.root and self.root not in target.parents:
            self.problems.append(_error(location, f"`{written}` points outside the workspace",
                                        "keep campaign files inside the workspace, e.g. in assets/",
                                        "path"))
            return written
        if not target.is_file():
            siblings = [p.name for p in target.parent.iterdir()] if target.parent.is_dir() else []
            close = difflib.get_close_matches(target.name, siblings, n=1)
            self.problems.append(_error(location, f"file `{written}` not found",
                                        f"did you mean `{close[0]}`?" if close else
                                        "check the path; it is relative to this file", "path"))
            return written
        return target.relative_to(self.root).as_posix()


def _placeholder_problems(source: Sourced, scope_of: Any) -> Iterator[Diagnostic]:
    for path, text in _strings(source.data, ()):
        allowed = scope_of(path)
        for name in placeholders.names_in(text):
            if name in allowed:
                continue
            if name in placeholders.ALL:
                yield _error(source.locate(path), f"`{{{name}}}` cannot be used here",
                             f"placeholders allowed here: {_braced(allowed)}", "placeholder")
            else:
                close = difflib.get_close_matches(name, list(placeholders.ALL), n=1)
                yield _error(source.locate(path), f"unknown placeholder `{{{name}}}`",
                             f"did you mean `{{{close[0]}}}`?" if close else
                             f"known placeholders: {_braced(placeholders.ALL)}", "placeholder")


def _strings(data: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key != "internal":
                yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, path + (index,))


def _campaign_scope(path: KeyPath) -> frozenset[str]:
    if path[:2] == ("tracking", "discount_code"):
        return placeholders.CREATOR_SCOPE
    if path[:2] in (("tracking", "utm"), ("tracking", "landing_page")):
        return placeholders.TRACKING_SCOPE
    if path[:1] == ("deliverables",):
        return placeholders.DELIVERABLE_SCOPE
    return placeholders.TEXT_SCOPE


def _creator_scope(path: KeyPath) -> frozenset[str]:
    return placeholders.CREATOR_SCOPE if path[:1] == ("discount_code",) else placeholders.TEXT_SCOPE


def _braced(names: frozenset[str]) -> str:
    return ", ".join(f"{{{n}}}" for n in sorted(names))


def _language_name(locale: str) -> str:
    from babel import Locale, UnknownLocaleError

    language = locale.split("-")[0].lower()
    try:
        return Locale.parse(language).english_name or f"`{language}`"
    except (UnknownLocaleError, ValueError):
        return f"`{language}`"


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _day(value: dt.date | dt.datetime) -> str:
    return value.isoformat(timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()
