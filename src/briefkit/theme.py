"""Themes: the templates, stylesheets, fonts and labels a brief is rendered with.

A theme is a chain of folders searched in order: the workspace's own theme
(`themes/<name>/`, when it exists) and then the default theme that ships with
briefkit. A file in the first folder overrides the file of the same name below
it, so a brand can change one template or one stylesheet and keep the rest.
Labels (`labels/<language>.yaml`) are merged key by key down the chain.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup, escape

from .diagnostics import Diagnostic, Location

DEFAULT_THEME_NAME = "default"
FALLBACK_LANGUAGE = "en"


def default_theme_folder() -> Path:
    """The default theme: inside the installed package, or `themes/default` of a source checkout."""
    packaged = Path(__file__).parent / "themes" / DEFAULT_THEME_NAME
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes" / DEFAULT_THEME_NAME


@dataclass(frozen=True)
class Theme:
    folders: tuple[Path, ...]  # searched first to last
    root: Path  # the workspace, to name theme files in messages
    _labels: dict[str, Labels] = field(default_factory=dict, compare=False, repr=False)

    def find(self, relative: str) -> Path:
        for folder in self.folders:
            candidate = folder / relative
            if candidate.is_file():
                return candidate
        raise FileNotFoundError(f"no theme folder has {relative}")

    def read_text(self, relative: str) -> str:
        return self.find(relative).read_text(encoding="utf-8")

    @cached_property
    def environment(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([f / "templates" for f in self.folders]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,  # a typo in a theme fails the build, not the brief
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        return env

    def template(self, name: str) -> jinja2.Template:
        return self.environment.get_template(name)

    def labels(self, locale: str) -> Labels:
        """The labels for `locale`: its language's catalogue over the English one."""
        if locale not in self._labels:  # read once per build, not once per packet
            self._labels[locale] = Labels(_catalogue(self.folders, locale))
        return self._labels[locale]

    def shown_path(self, path: Path) -> str:
        """A theme file as messages name it: relative to the workspace when it is inside."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def template_problem(self, error: Exception) -> Diagnostic:
        """A template error as a diagnostic naming the template file and line."""
        if isinstance(error, jinja2.TemplateSyntaxError):
            file, line = error.filename or error.name or "template", error.lineno
            message = error.message or str(error)
        else:
            file, line = self._template_frame(error)
            message = f"{type(error).__name__}: {error}"
        return Diagnostic(Location(self.shown_path(Path(file)), line or 0, 1 if line else 0),
                          f"the theme's template failed: {message}",
                          "fix the template, or remove it from your theme to use the default",
                          code="theme")

    def _template_frame(self, error: Exception) -> tuple[str, int]:
        templates = [str(folder / "templates") for folder in self.folders]
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if any(f.filename.startswith(t) for t in templates)]
        if not frames:
            return "template", 0
        return frames[-1].filename, frames[-1].lineno or 0


def load_theme(root: Path, name: str) -> Theme:
    """The chain for theme `name` in the workspace at `root` (validation checked it exists)."""
    own = root / "themes" / name
    default = default_theme_folder()
    folders = [own] if own.is_dir() and own.resolve() != default.resolve() else []
    return Theme(tuple(folders + [default]), root)


class Labels:
    """Every fixed text of a brief, looked up by key: `labels("offer.fee")`."""

    def __init__(self, messages: dict[str, str]):
        self.messages = messages

    def text(self, key: str, **values: Any) -> str:
        return self._message(key).format(**values)

    def __call__(self, key: str, **values: Any) -> Markup:
        """The label as HTML; `values` are escaped unless they are Markup already."""
        return Markup(escape(self._message(key))).format(**values)

    def _message(self, key: str) -> str:
        try:
            return self.messages[key]
        except KeyError:
            raise KeyError(f"the theme has no label {key!r}") from None


def _catalogue(folders: tuple[Path, ...], locale: str) -> dict[str, str]:
    language = locale.split("-")[0].lower()
    messages: dict[str, str] = {}
    for code in dict.fromkeys([FALLBACK_LANGUAGE, language, locale]):
        for folder in reversed(folders):
            path = folder / "labels" / f"{code}.yaml"
            if path.is_file():
                messages |= _flattened(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return messages


def _flattened(tree: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flattened(value, f"{name}.")
        else:
            flat[name] = str(value)
    return flat

