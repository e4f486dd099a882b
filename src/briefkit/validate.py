"""Stage 2, validate: check every loaded file against the model and the format's
cross-field rules, and return the valid campaigns with all diagnostics.

Each campaign body and each creator is validated on its own, so one broken
creator does not hide the errors of the others. A campaign is then normalised
(its id and every creator's slug filled in), the cross-field rules of
`checks.py` run on everything that is valid, and paths become relative to the
workspace.
"""

from __future__ import annotations

import copy
import difflib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from . import checks
from .diagnostics import Diagnostic, Location, error, errors_first, warning
from .explain import data_path, diagnostics_for
from .load import (YAML_SUFFIXES, CampaignSource, WorkspaceSource, campaign_folders, creator_files, load_workspace,
                   read_campaign, read_campaigns, read_settings)
from .model import Campaign, Creator, Settings, in_language, locale_of, slug_from_handle
from .processes import collector_paused, process_context, usable_cpus
from .theme import Theme, load_theme
from .write import MANIFEST, unsafe_output
from .yamlfile import Sourced

SECRET_VARIABLE = "BRIEFKIT_SECRET"
LOGO_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif"})


@dataclass(frozen=True)
class Workspace:
    """A validated workspace. Paths in it are relative to `root`; every creator has a slug."""

    root: Path
    settings: Settings
    campaigns: list[Campaign] = field(default_factory=list)


@collector_paused()
def check_workspace(root: Path, only: list[Path] | None = None) -> tuple[Workspace, list[Diagnostic]]:
    """Load and validate the workspace at `root`; diagnostics deduplicated, in file order.
    A large workspace is loaded and checked a campaign per process, on every core."""
    if only is not None:
        return check_source(load_workspace(root, only))
    root = root.resolve()
    problems: list[Diagnostic] = []
    settings, defaults = read_settings(root, problems)
    folders = campaign_folders(root, problems)
    source = WorkspaceSource(root, settings, [], problems)
    cores = usable_cpus()
    if cores > 1 and len(folders) > 1 and creator_files(folders) >= PARALLEL_FROM:
        return _checked_in_parallel(source, defaults, folders, cores)
    source.campaigns = read_campaigns(root, folders, defaults, problems)
    return check_source(source)


def check_source(source: WorkspaceSource) -> tuple[Workspace, list[Diagnostic]]:
    """Validate a loaded workspace (for a command that also needs where things are written)."""
    workspace, problems = validate_workspace(source)
    return workspace, errors_first(_without_echoes(problems))


def _without_echoes(problems: list[Diagnostic]) -> list[Diagnostic]:
    """One mistake, one message: a value YAML took for a comment (`- #ad`) is reported by
    the loader, which says why; the model's "found nothing" there would only repeat it."""
    commented = {(d.location.file, d.location.path) for d in problems if d.code == "yaml-comment"}
    return [d for d in problems if d.code == "yaml-comment" or (d.location.file, d.location.path) not in commented]


def validate_workspace(source: WorkspaceSource) -> tuple[Workspace, list[Diagnostic]]:
    problems = list(source.diagnostics)
    settings = _checked_settings(source, problems)
    theme = load_theme(source.root, settings.theme)
    return _workspace(source.root, settings, [_campaign_result(source.root, theme, c) for c in source.campaigns],
                      problems)


# A checked campaign (None when campaign.yaml is invalid), its diagnostics, and where its id is.
CampaignResult = tuple[Campaign | None, list[Diagnostic], Location]
# Creator files from which a workspace is checked a campaign per process: below, starting
# the processes costs more than it saves.
PARALLEL_FROM = 1000


def _checked_settings(source: WorkspaceSource, problems: list[Diagnostic]) -> Settings:
    settings = _validated(Settings, source.settings, problems) or Settings()
    problems += _check_settings(source, settings)
    return settings


def _campaign_result(root: Path, theme: Theme, source: CampaignSource) -> CampaignResult:
    problems: list[Diagnostic] = []
    return _checked_campaign(root, theme, source, problems), problems, source.campaign.locate(("id",))


def _workspace(root: Path, settings: Settings, results: list[CampaignResult],
               problems: list[Diagnostic]) -> tuple[Workspace, list[Diagnostic]]:
    """The workspace of the checked campaigns, in order, each id once."""
    campaigns: dict[str, Campaign] = {}
    for checked, found, where_id in results:
        problems += found
        if checked is None:
            continue
        if checked.id in campaigns:
            problems.append(error(where_id, f"campaign id `{checked.id}` is used by another campaign too",
                                  "give each campaign its own id", "duplicate"))
            continue
        campaigns[checked.id] = checked
    return Workspace(root, settings, list(campaigns.values())), problems


def _checked_in_parallel(source: WorkspaceSource, defaults: Sourced, folders: list[Path],
                         cores: int) -> tuple[Workspace, list[Diagnostic]]:
    """What `check_source(load_workspace(root))` returns, diagnostics in the same order,
    with each campaign read and checked by one of `cores` worker processes."""
    settings_problems: list[Diagnostic] = []
    settings = _checked_settings(source, settings_problems)
    with ProcessPoolExecutor(min(cores, len(folders)), mp_context=process_context()) as pool:
        done = list(pool.map(_read_and_check, *zip(*[(source.root, folder, defaults, settings.theme)
                                                       for folder in folders])))
    problems = source.diagnostics + [p for read, _ in done for p in read] + settings_problems
    workspace, problems = _workspace(source.root, settings, [result for _, result in done if result], problems)
    return workspace, errors_first(_without_echoes(problems))


@collector_paused()
def _read_and_check(root: Path, folder: Path, defaults: Sourced,
                    theme_name: str) -> tuple[list[Diagnostic], CampaignResult | None]:
    """In a worker: one campaign read (with what reading it found) and checked."""
    read: list[Diagnostic] = []
    source = read_campaign(root, folder, defaults, read)
    return read, _campaign_result(root, load_theme(root, theme_name), source) if source else None


def _validated(model: type[BaseModel], source: Sourced, problems: list[Diagnostic]) -> Any:
    try:
        return model.model_validate(source.data)
    except ValidationError as invalid:
        restored = _as_written(source, invalid)
        if restored is not source:
            return _validated(model, restored, problems)
        problems.extend(diagnostics_for(invalid, source, model))
        return None


def _as_written(source: Sourced, invalid: ValidationError) -> Sourced:
    """The source with one-line `a: b` mappings turned back into text where text was expected.

    `- Vitamin C without the sting: gentle enough` is a mapping to YAML, but a
    sentence to the person who wrote it; where the model wants text, we take the
    line as written. Returns `source` itself when there is nothing to restore.
    """
    found = {}
    for item in invalid.errors(include_url=False):
        path, _ = data_path(source.data, item["loc"])
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


# --- workspace-wide rules ------------------------------------------------------


def _check_settings(source: WorkspaceSource, settings: Settings) -> list[Diagnostic]:
    problems = []
    where = source.settings.locate
    if settings.theme != "default" and not (source.root / "themes" / settings.theme).is_dir():
        problems.append(error(where(("theme",)), f"theme folder themes/{settings.theme}/ does not exist",
                              "create it, or write `theme: default`", "path"))
    out = PurePosixPath(settings.output)
    if out.is_absolute() or ".." in out.parts or out.parts[:1] in ((), (".",), ("briefs",), ("themes",)):
        problems.append(error(where(("output",)), f"`output: {settings.output}` is not a safe output folder",
                              "use a folder of its own inside the workspace, e.g. output", "path"))
    elif unsafe := unsafe_output(source.root, source.root / out):  # where it leads, links followed
        problems.append(error(where(("output",)), f"`output: {settings.output}` is not a safe output folder: "
                              f"{unsafe}", "use a folder of its own inside the workspace, e.g. output", "path"))
    if settings.private_links and not os.environ.get(SECRET_VARIABLE):
        problems.append(error(where(("private_links",)),
                              f"private links need a secret in the {SECRET_VARIABLE} environment variable",
                              f"set {SECRET_VARIABLE} to a long random text, or write `private_links: false`",
                              "secret"))
    return problems


# --- one campaign --------------------------------------------------------------


def _checked_campaign(root: Path, theme: Theme, source: CampaignSource,
                      problems: list[Diagnostic]) -> Campaign | None:
    """The campaign with its valid creators, ids, slugs and workspace paths filled in,
    after every rule of `checks.RULES` ran on it; None when campaign.yaml is invalid."""
    campaign = _validated(Campaign, source.campaign, problems)
    creators = []
    for creator_source in source.creators:
        creator = _validated(Creator, creator_source, problems)
        if creator is not None:
            creators.append((creator, creator_source))
    if campaign is None:
        return None
    check = _normalised(root, theme, source, campaign, creators, problems)
    for rule in checks.RULES:
        problems.extend(rule(check))
    campaign = _with_workspace_paths(check, problems)
    # A creator's own texts are theirs alone: each creator keeps the variant of their language.
    creators = [in_language(c, locale_of(campaign, c), campaign.locale) for c, _ in check.creators]
    return campaign.model_copy(update={"creators": creators})


def _normalised(root: Path, theme: Theme, source: CampaignSource, campaign: Campaign,
                creators: list[tuple[Creator, Sourced]], problems: list[Diagnostic]) -> checks.CampaignCheck:
    """The campaign with its id (the folder's name when not written), and every creator
    with a slug (made from the handle when not written)."""
    campaign = campaign.model_copy(update={"id": _campaign_id(campaign, source, problems)})
    with_slugs = []
    for creator, creator_source in creators:
        if not creator.slug:
            creator = creator.model_copy(update={"slug": _slug(creator, creator_source, problems)})
        with_slugs.append((creator, creator_source))
    return checks.CampaignCheck(root, theme, source, campaign, with_slugs)


def _campaign_id(campaign: Campaign, source: CampaignSource, problems: list[Diagnostic]) -> str:
    if campaign.id:
        return campaign.id
    name = source.id
    if not slug_from_handle(name) == name:
        problems.append(error(source.campaign.locate(()), f"the folder name `{name}` cannot be the campaign id",
                              f"add `id: {slug_from_handle(name) or 'my-campaign'}` to campaign.yaml", "id"))
    return name


def _slug(creator: Creator, source: Sourced, problems: list[Diagnostic]) -> str:
    slug = slug_from_handle(creator.handle)
    if slug:
        return slug
    problems.append(error(source.locate(("handle",)), f"cannot make a folder name from the handle `{creator.handle}`",
                          "add `slug:` with lowercase letters, digits and hyphens", "slug"))
    # A distinct stand-in keeps the rules (unique slugs) from adding noise about this
    # creator; the error above already stops any build.
    return f"creator-{len(problems)}"


# --- paths -------------------------------------------------------------------------


def _with_workspace_paths(check: checks.CampaignCheck, problems: list[Diagnostic]) -> Campaign:
    """The campaign with its logo and assets as paths relative to the workspace root,
    each checked to be a file inside the workspace."""
    campaign = check.campaign
    if campaign.brand.logo:
        found = len(problems)
        logo = _workspace_path(check.root, campaign.brand.logo, check.where(("brand", "logo")), problems)
        if len(problems) == found and PurePosixPath(logo).suffix.lower() not in LOGO_SUFFIXES:
            problems.append(error(check.where(("brand", "logo")),
                                  f"`{campaign.brand.logo}` is not an image briefs can show",
                                  "use an SVG (best: sharp in the PDF), PNG or JPEG file", "path"))
        elif len(problems) == found and _is_placeholder(check.root / logo):
            problems.append(warning(check.where(("brand", "logo")), "the logo is still the \"YOUR LOGO\" "
                                    "placeholder `briefkit new` wrote", f"replace {logo} with the brand's "
                                    "logo (SVG is sharpest), or point `brand.logo` at it", "path"))
        campaign = campaign.model_copy(update={"brand": campaign.brand.model_copy(update={"logo": logo})})
    assets = [asset.model_copy(update={"path": _workspace_path(check.root, asset.path,
                                                               check.where(("assets", i, "path")), problems)})
              for i, asset in enumerate(campaign.assets)]
    return campaign.model_copy(update={"assets": assets})


def _is_placeholder(path: Path) -> bool:
    from .scaffold import PLACEHOLDER_LOGO

    try:
        return path.stat().st_size == PLACEHOLDER_LOGO.stat().st_size and path.read_bytes() == \
            PLACEHOLDER_LOGO.read_bytes()
    except OSError:
        return False


def _not_an_asset(root: Path, target: Path) -> str | None:
    """Why a workspace file may not go into packets: briefkit's own input (YAML, which
    holds every creator's fee and the `internal:` notes), hidden files (`.git`, `.env`),
    or anything in an output folder (the team overview); None when it may."""
    relative = target.relative_to(root)
    if target.suffix.lower() in YAML_SUFFIXES:
        return "is a YAML file of the workspace, which no packet may carry"
    if any(part.startswith(".") for part in relative.parts):
        return "is a hidden file, which no packet may carry"
    if any((folder / MANIFEST).exists() for folder in [target.parent, *target.parent.parents]
           if folder == root or root in folder.parents):
        return "is in briefkit's output folder, which no packet may carry"
    return None


def _workspace_path(root: Path, written: str, location: Location, problems: list[Diagnostic]) -> str:
    """The file `written` in the file at `location`, relative to the workspace root."""
    if "://" in written:
        problems.append(error(location, "files must be in the workspace, not on the web",
                              "download the file into the campaign's assets/ folder", "path"))
        return written
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute():
        problems.append(error(location, f"`{written}` is an absolute path",
                              "write the path relative to this file, e.g. assets/logo.svg", "path"))
        return written
    base = (root / location.file).parent
    target = (base / written).resolve()
    if target != root and root not in target.parents:
        problems.append(error(location, f"`{written}` points outside the workspace",
                              "keep campaign files inside the workspace, e.g. in assets/", "path"))
        return written
    if reason := _not_an_asset(root, target):
        problems.append(error(location, f"`{written}` {reason}",
                              "name an image or document of the campaign, e.g. in assets/", "path"))
        return written
    if not target.is_file():
        siblings = [p.name for p in target.parent.iterdir()] if target.parent.is_dir() else []
        close = difflib.get_close_matches(target.name, siblings, n=1)
        problems.append(error(location, f"file `{written}` not found",
                              f"did you mean `{close[0]}`?" if close else
                              "check the path; it is relative to this file", "path"))
        return written
    return target.relative_to(root).as_posix()
