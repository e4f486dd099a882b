"""Themes: the templates, stylesheets, fonts and labels a brief is rendered with.

A theme is a chain of folders searched in order: the workspace's own theme
(`themes/<name>/`, when it exists) and then the default theme that ships with
briefkit. A file in the first folder overrides the file of the same name below
it, so a brand can change one template or one stylesheet and keep the rest.
Labels (`labels/<language>.yaml`) are merged key by key down the chain.

A brief is written in its creator's language when the theme has labels for it,
and in English otherwise (with a warning from validation), so that one page
never mixes two languages: `page_locale` decides which.
"""

from __future__ import annotations

import hashlib
import string
import traceback
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from .diagnostics import Diagnostic, Location
from .model import Deliverable, locale_language, locale_region, reading_tags
from .yamlfile import load_yaml

DEFAULT_THEME_NAME = "default"
FALLBACK_LANGUAGE = "en"


class RenderError(Exception):
    """A theme file could not be read or rendered, or a file a brief names changed under
    the build; carries the diagnostic naming the file (and line)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic

    def __reduce__(self) -> tuple:  # raised in a worker process, re-raised in the build
        return (RenderError, (self.diagnostic,))


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

    @cached_property
    def digest(self) -> str:
        """One hash of every file in the theme chain, by folder, path and content; computed
        once per build, for the packet keys and for the PDF renderer's kept stylesheets."""
        parts = []
        for number, folder in enumerate(self.folders):
            for path in sorted(p for p in folder.rglob("*") if inside(p, folder) and p.is_file()):
                parts.append(f"{number}:{path.relative_to(folder).as_posix()}".encode())
                parts.append(path.read_bytes())
        return sha256_of_parts(*parts)

    def find(self, relative: str) -> Path:
        """The first theme file at `relative`; a file that is, or lies under, a symlink
        leading out of its theme folder does not count (a theme reads only itself)."""
        for folder in self.folders:
            candidate = folder / relative
            if inside(candidate, folder) and candidate.is_file():
                return candidate
        raise FileNotFoundError(f"no theme folder has {relative}")

    def read_text(self, relative: str) -> str:
        path = self.find(relative)
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise RenderError(self.file_problem(path, "is not UTF-8 text" if isinstance(error, UnicodeDecodeError)
                                                else f"cannot be read: {error.strerror}")) from None

    def file_problem(self, path: Path, problem: str, line: int = 0, column: int = 0) -> Diagnostic:
        return Diagnostic(Location(self.shown_path(path), line, column), f"the theme's file {problem}",
                          "fix the file, or remove it from your theme to use the default", code="theme")

    @cached_property
    def environment(self) -> jinja2.Environment:
        # Sandboxed: a template is data, not code. It cannot reach Python's internals
        # (`lipsum.__globals__`, `__class__.__mro__`) nor change what it is given.
        env = _Sandbox(
            loader=ConfinedLoader(self.folders),
            auto_reload=False,  # a theme is loaded again for every build; within one, files stay
            autoescape=True,
            undefined=jinja2.StrictUndefined,  # a typo in a theme fails the build, not the brief
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_compiled_templates(),
        )
        return env

    def template(self, name: str) -> jinja2.Template:
        return self.environment.get_template(name)

    def labels(self, locale: str) -> Labels:
        """The labels for `locale` (a page locale): its language's catalogue over the English one."""
        if locale not in self._labels:  # read once per build, not once per packet
            self._labels[locale] = Labels(self._catalogue(locale), locale)
        return self._labels[locale]

    def _catalogue(self, locale: str) -> dict[str, str]:
        messages: dict[str, str] = {}
        for code in catalogue_chain(locale):
            for folder in reversed(self.folders):
                path = folder / "labels" / f"{code}.yaml"
                if inside(path, folder) and path.is_file():
                    messages |= _flattened(self._label_file(path))
        return messages

    def _label_file(self, path: Path) -> dict:
        """A label file's keys, read as briefkit reads every YAML file: a problem is an
        error at its line and column."""
        source, problems = load_yaml(path, self.shown_path(path))
        for problem in problems:
            if problem.is_error:
                raise RenderError(problem)
        if source is not None and not isinstance(source.data, dict):
            raise RenderError(self.file_problem(path, "must hold keys and labels (`key: text`)", 1, 1))
        return source.data if source is not None else {}

    @cached_property
    def languages(self) -> frozenset[str]:
        """The languages this theme has labels for (`de`, `fr`…; `fr-CA` counts as `fr`)."""
        return frozenset(locale_language(path.stem) for folder in self.folders
                         for path in (folder / "labels").glob("*.yaml"))

    def page_locale(self, locale: str) -> str:
        """The locale a brief for `locale` is written in: one language per page.

        The rule: `locale` itself when the theme has labels for its language and
        CLDR (Babel) knows it; otherwise English with the conventions of the
        locale's region (dates, numbers) when CLDR has English for that region
        (`sv-SE` → `en-SE`); otherwise plain English (`en`). Which regions CLDR
        has English for grows with Babel's releases.
        """
        if locale_language(locale) in self.languages and _babel_knows(locale):
            return locale
        region = locale_region(locale)
        if region and _babel_knows(f"{FALLBACK_LANGUAGE}-{region}"):
            return f"{FALLBACK_LANGUAGE}-{region}"
        return FALLBACK_LANGUAGE

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


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every symlink followed, lies inside `folder`."""
    return path.resolve().is_relative_to(folder.resolve())


class _Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, which keeps its verdict on each attribute name of each
    type: the verdict depends on nothing else (`jinja2.sandbox.is_internal_attribute` and
    `modifies_known_mutable` look at the object's type and the name), and reaching it
    anew for every attribute a template reads was a tenth of the time of a page."""

    def __init__(self, **options: Any):
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        if key not in self._verdicts:
            self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return self._verdicts[key]


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from `templates/` of each theme folder in turn, like Jinja's file loader,
    but a file that leads out of its theme folder (a symlink, or under a symlinked
    folder) is passed over, as if it were not there."""

    def __init__(self, folders: tuple[Path, ...]):
        self.folders = folders

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        pieces = jinja2.loaders.split_template_path(template)  # refuses `..`
        for folder in self.folders:
            path = folder.joinpath("templates", *pieces)
            if inside(path, folder) and path.is_file():
                modified = path.stat().st_mtime
                try:
                    source = path.read_text(encoding="utf-8")
                except UnicodeDecodeError as error:
                    line = path.read_bytes()[:error.start].count(b"\n") + 1
                    raise jinja2.TemplateSyntaxError("the template is not UTF-8 text", line, template,
                                                     str(path)) from None
                return source, str(path), lambda: _unchanged(path, modified)
        raise jinja2.TemplateNotFound(template)


def _unchanged(path: Path, modified: float) -> bool:
    try:
        return path.stat().st_mtime == modified
    except OSError:
        return False


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """Templates compiled by an earlier run, kept by Jinja in a folder of the temporary
    directory that only this user may use (compiling takes a one-packet build 0.05 s);
    none where Jinja finds no such folder safe to use."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (RuntimeError, OSError):
        return None


def sha256_of_parts(*parts: bytes) -> str:
    """SHA-256 of `parts` with each one's length before it, so that no two splits hash alike."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big"))
        hasher.update(part)
    return hasher.hexdigest()


def load_theme(root: Path, name: str) -> Theme:
    """The chain for theme `name` in the workspace at `root` (validation checked it exists)."""
    own = root / "themes" / name
    default = default_theme_folder()
    folders = [own] if own.is_dir() and own.resolve() != default.resolve() else []
    return Theme(tuple(folders + [default]), root)


def _babel_knows(locale: str) -> bool:
    try:
        Locale.parse(locale, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


class Labels:
    """Every fixed text of a brief, looked up by key: `labels("offer.fee")`.

    A label with forms per plural category (`one`, `other`, and `few` or `many`
    where the language has them) picks the form for its `count` value, by
    CLDR's rules for the language. Numbers among the values are written the
    locale's way (`1.200` in German).
    """

    def __init__(self, messages: dict[str, str], code: str):
        self.messages = messages
        self.code = code  # the page locale, `de-DE`
        self.locale = Locale.parse(code, sep="-")
        self._html: dict[str, Markup] = {}

    def text(self, key: str, **values: Any) -> str:
        return self._message(key, values).format(**self._written(values))

    def __call__(self, key: str, **values: Any) -> Markup:
        """The label as HTML; `values` are escaped unless they are Markup already."""
        html = None if values else self._html.get(key)
        if html is None:
            html = Markup(escape(self._message(key, values))).format(**self._written(values))
            if not values:  # most labels: the same HTML on every page of this language
                self._html[key] = html
        return html

    def _message(self, key: str, values: dict[str, Any]) -> str:
        if key in self.messages:
            return _plain_placeholders(key, self.messages[key])
        if f"{key}.other" in self.messages and "count" in values:
            form = f"{key}.{self.locale.plural_form(values['count'])}"
            return _plain_placeholders(key, self.messages.get(form, self.messages[f"{key}.other"]))
        raise KeyError(f"the theme has no label {key!r}")

    def _written(self, values: dict[str, Any]) -> dict[str, Any]:
        return {name: format_decimal(value, locale=self.locale)
                if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else value
                for name, value in values.items()}


@lru_cache(maxsize=4096)
def _plain_placeholders(key: str, message: str) -> str:
    """`message` when each of its placeholders is a plain name (`{count}`). A label is
    text from the theme: `{name.__class__}` or `{count:{x}}` would make `str.format`
    read Python's internals, so such a label is refused."""
    for _, name, spec, conversion in string.Formatter().parse(message):
        if name is not None and not (name.isidentifier() and not spec and conversion is None):
            raise ValueError(f"the label {key!r} has the placeholder {{{name}{':' + spec if spec else ''}}}; "
                             "a label's placeholders are plain names, like {count}")
    return message


def deliverable_name(deliverable: Deliverable, labels: Labels) -> str:
    """How dates name a deliverable: its platform and format, "Instagram reel"."""
    return f"{labels.text('platform.' + deliverable.platform)} {deliverable.format}"


def catalogue_chain(locale: str) -> list[str]:
    """The label files a brief in `locale` reads, most general first, each over the one
    before, key by key: English, then the tags a reader of `locale` reads
    (`model.reading_tags`), so that a regional variant needs only the words that differ,
    and the region picks it."""
    return list(dict.fromkeys([FALLBACK_LANGUAGE, *reversed(reading_tags(locale))]))


def _flattened(tree: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat |= _flattened(value, f"{name}.")
        else:
            flat[name] = str(value)
    return flat

