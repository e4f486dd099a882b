"""Stage 1, load: find a workspace's files, read them, and merge them into one
campaign source each, keeping every value's location (docs/format.md, "Merging").

Merging rules: `defaults:` from briefkit.yaml is deep-merged under every
campaign (mappings merge key by key, anything else is replaced); creators come
from `creators:` in campaign.yaml first, then from `creators/*.yaml` in file-name
order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .diagnostics import Diagnostic, KeyPath, Location, Severity
from .yamlfile import Sourced, load_yaml

SETTINGS_FILE = "briefkit.yaml"
BRIEFS_DIR = "briefs"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class CampaignSource:
    folder: str  # workspace-relative, e.g. "briefs/spring-glow"
    campaign: Sourced  # campaign.yaml with defaults merged under it, without `creators`
    creators: list[Sourced] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The campaign's id as written, else its folder's name (validation checks that one)."""
        return str(self.campaign.data.get("id") or PurePosixPath(self.folder).name)


@dataclass
class WorkspaceSource:
    root: Path
    settings: Sourced
    campaigns: list[CampaignSource]
    diagnostics: list[Diagnostic]


def load_workspace(root: Path, only: list[Path] | None = None) -> WorkspaceSource:
    """Read the workspace at `root`; `only` limits it to the campaigns holding those paths."""
    root = root.resolve()
    problems: list[Diagnostic] = []
    settings, defaults = read_settings(root, problems)
    folders = [folder for folder in campaign_folders(root, problems)
               if only is None or any(_contains(folder, path) for path in only)]
    return WorkspaceSource(root, settings, read_campaigns(root, folders, defaults, problems), problems)


def folders_of_campaign(root: Path, campaign_id: str) -> list[Path]:
    """The campaign folders whose campaign has the id `campaign_id`, found by reading their
    campaign.yaml alone (with briefkit.yaml's defaults), not their creators."""
    problems: list[Diagnostic] = []
    _, defaults = read_settings(root, problems)
    found = []
    for folder in campaign_folders(root, problems):  # each has a campaign file
        path = _campaign_file(folder)
        assert path is not None
        source, _ = load_yaml(path, _relative(root, path))
        body = source if source is not None and isinstance(source.data, dict) else Sourced({})
        if CampaignSource(_relative(root, folder), deep_merge(defaults, body)).id == campaign_id:
            found.append(folder)
    return found


def read_campaigns(root: Path, folders: list[Path], defaults: Sourced,
                   problems: list[Diagnostic]) -> list[CampaignSource]:
    """The campaigns in `folders` that could be read, in order."""
    return [source for folder in folders if (source := read_campaign(root, folder, defaults, problems))]


def read_settings(root: Path, problems: list[Diagnostic]) -> tuple[Sourced, Sourced]:
    """briefkit.yaml, and its `defaults:` as a source of their own."""
    settings = _read_settings(root, problems)
    return settings, _defaults_of(settings, problems)


def creator_files(folders: list[Path]) -> int:
    """How many files the `creators/` folders of these campaigns hold, about (not read)."""
    return sum(len(os.listdir(folder / "creators")) for folder in folders if (folder / "creators").is_dir())


def campaign_folders(root: Path, problems: list[Diagnostic]) -> list[Path]:
    briefs = root / BRIEFS_DIR
    folders = []
    for folder in sorted(p for p in _entries(root, briefs, problems) if p.is_dir()):
        if _campaign_file(folder):
            folders.append(folder)
        elif unreadable := [folder / f"campaign{suffix}" for suffix in YAML_SUFFIXES
                            if os.path.lexists(folder / f"campaign{suffix}")]:
            problems.append(_not_a_file(root, unreadable[0]))
        elif not folder.name.startswith("."):
            problems.append(Diagnostic(
                Location(_relative(root, folder)), "this folder has no campaign.yaml and is skipped",
                "add a campaign.yaml, or run `briefkit new ID` to start one", Severity.WARNING,
                code="no-campaign"))
    if not folders and not problems:
        problems.append(Diagnostic(
            Location(BRIEFS_DIR), "no campaigns found: briefs/<campaign>/campaign.yaml is missing",
            "run `briefkit new my-campaign` to create one", code="no-campaign"))
    return folders


def _read_settings(root: Path, problems: list[Diagnostic]) -> Sourced:
    path = root / SETTINGS_FILE
    if not path.exists():
        return Sourced({})
    source, found = load_yaml(path, SETTINGS_FILE)
    problems.extend(found)
    if source is None:
        return Sourced({})
    if not isinstance(source.data, dict):
        problems.append(_not_a_mapping(source))
        return Sourced({})
    return source


def _defaults_of(settings: Sourced, problems: list[Diagnostic]) -> Sourced:
    """`defaults:` of briefkit.yaml as its own source, keyed like a campaign."""
    data = settings.data.get("defaults")
    if not isinstance(data, dict):
        return Sourced({})
    if "creators" in data:
        problems.append(Diagnostic(settings.locate(("defaults", "creators"), key=True),
                                   "creators cannot be defaults; each belongs to one campaign",
                                   "move them to the campaign's creators/ folder", code="defaults"))
        data = {k: v for k, v in data.items() if k != "creators"}
    return _subtree(Sourced({"defaults": data}, settings.values, settings.keys,
                            settings.plain_pairs), ("defaults",))


def read_campaign(root: Path, folder: Path, defaults: Sourced,
                   problems: list[Diagnostic]) -> CampaignSource | None:
    path = _campaign_file(folder)
    assert path is not None
    source, found = load_yaml(path, _relative(root, path))
    problems.extend(found)
    if source is None:
        return None
    if not isinstance(source.data, dict):
        problems.append(_not_a_mapping(source))
        return None
    creators = _inline_creators(source, problems)
    body = Sourced({k: v for k, v in source.data.items() if k != "creators"},
                   source.values, source.keys, source.plain_pairs)
    result = CampaignSource(_relative(root, folder), deep_merge(defaults, body), creators)
    for creator_path in _creator_files(root, folder, problems):
        creator, found = load_yaml(creator_path, _relative(root, creator_path))
        problems.extend(found)
        if creator is None:
            continue
        if not isinstance(creator.data, dict):
            problems.append(_not_a_mapping(creator))
            continue
        result.creators.append(creator)
    if not result.creators and not any(d.location.file.startswith(result.folder + "/creators/")
                                       for d in problems):
        problems.append(Diagnostic(
            source.locate(()), "the campaign has no creators",
            "add `creators:` to campaign.yaml or a file per creator under creators/",
            code="no-creators"))
    return result


def _inline_creators(source: Sourced, problems: list[Diagnostic]) -> list[Sourced]:
    listed = source.data.get("creators")
    if listed is None:
        return []
    if not isinstance(listed, list):
        problems.append(Diagnostic(source.locate(("creators",)),
                                   "`creators` must be a list of creators",
                                   "start each creator with `- handle: …`", code="type"))
        return []
    creators = []
    for index, item in enumerate(listed):
        if isinstance(item, dict):
            creators.append(_subtree(source, ("creators", index)))
        else:
            problems.append(Diagnostic(source.locate(("creators", index)),
                                       "each creator must be a set of keys (handle, name, …)",
                                       "start each creator with `- handle: …`", code="type"))
    return creators


def _subtree(source: Sourced, prefix: KeyPath) -> Sourced:
    """The value at `prefix` as a source of its own; locations keep their file and path."""
    data: Any = source.data
    for key in prefix:
        data = data[key]
    cut = len(prefix)
    values = {p[cut:]: loc for p, loc in source.values.items() if p[:cut] == prefix}
    keys = {p[cut:]: loc for p, loc in source.keys.items() if p[:cut] == prefix and len(p) > cut}
    pairs = {p[cut:]: text for p, text in source.plain_pairs.items() if p[:cut] == prefix}
    return Sourced(data, values, keys, pairs)


def deep_merge(base: Sourced, over: Sourced) -> Sourced:
    """`over` on top of `base`: mappings merge key by key, anything else is replaced."""
    values = dict(base.values)
    values.update(over.values)
    keys = dict(base.keys)
    keys.update(over.keys)
    return Sourced(_merge_data(base.data, over.data), values, keys,
                   base.plain_pairs | over.plain_pairs)


def _merge_data(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        merged = dict(base)
        for key, value in over.items():
            merged[key] = _merge_data(base[key], value) if key in base else value
        return merged
    return over


def _campaign_file(folder: Path) -> Path | None:
    for suffix in YAML_SUFFIXES:
        if (folder / f"campaign{suffix}").is_file():
            return folder / f"campaign{suffix}"
    return None


def _creator_files(root: Path, folder: Path, problems: list[Diagnostic]) -> list[Path]:
    """The creator files of a campaign; a YAML name that is no file (a folder, a link to
    nothing) is an error, so that no creator disappears without a word."""
    found = []
    for path in sorted(_entries(root, folder / "creators", problems)):
        if path.suffix not in YAML_SUFFIXES or path.name.startswith("."):
            continue
        if path.is_file():
            found.append(path)
        else:
            problems.append(_not_a_file(root, path))
    return found


def _entries(root: Path, folder: Path, problems: list[Diagnostic]) -> list[Path]:
    """What a folder holds; nothing when it is missing, an error when it cannot be read."""
    if not folder.is_dir():
        return []
    try:
        return list(folder.iterdir())
    except OSError as exc:
        problems.append(Diagnostic(Location(_relative(root, folder)), f"cannot read the folder: {exc.strerror}",
                                   "check that the folder exists and is readable", code="file"))
        return []


def _not_a_file(root: Path, path: Path) -> Diagnostic:
    what = "a folder" if path.is_dir() else "a link to a file that does not exist" if path.is_symlink() \
        else "not a regular file"
    return Diagnostic(Location(_relative(root, path)), f"cannot read `{path.name}`: it is {what}",
                      "make it a YAML file, or remove it", code="file")


def _not_a_mapping(source: Sourced) -> Diagnostic:
    return Diagnostic(source.locate(()), "the file must hold keys and values (`key: value`)",
                      "start the file with `title: …` (campaign) or `handle: …` (creator)",
                      code="type")


def _contains(folder: Path, path: Path) -> bool:
    path = path.resolve()
    return path == folder or folder in path.parents or path in folder.parents


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
