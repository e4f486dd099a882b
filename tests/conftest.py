from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
REPO = Path(__file__).parent.parent
# The tests' clock: a fixed "now" (briefkit reads SOURCE_DATE_EPOCH, as reproducible builds
# do), so that the fixtures' 2027 dates are ahead of it whenever the tests run; processes
# the tests start inherit it.
os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(2027, 1, 4, tzinfo=dt.timezone.utc).timestamp()))
CHROMIUM = "/usr/bin/chromium"  # installed by scripts/setup --test; never `playwright install`
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="write tests/golden/ anew from what briefkit makes now; review the git diff after")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """`golden(name, text)`: `text` must equal tests/golden/<name>, byte for byte.
    `pytest --update-golden` writes the files instead, for a reviewer to read in git."""
    update = request.config.getoption("--update-golden")

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode())
            return
        assert path.is_file(), f"tests/golden/{name} is missing: run pytest --update-golden"
        expected = path.read_bytes().decode()
        assert text == expected, f"differs from tests/golden/{name} (pytest --update-golden rewrites it)"

    return check


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example workspace built once, with PDFs and the team overview;
    tests only read its output folder, which this returns."""
    from briefkit.build import build

    root = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "briefs", root / "briefs")
    shutil.copy(REPO / "briefkit.yaml", root)
    assert not build(root, team=True).failed
    return root / "output"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/basic to change freely."""
    target = tmp_path / "ws"
    shutil.copytree(FIXTURES / "basic", target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in the file at `path`; `old` must be there (a changed
    fixture fails here, not in a confusing assertion later)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}: the fixture changed"
    path.write_text(text.replace(old, new), encoding="utf-8")


# Commits made at a fixed time by a fixed author have the same hash in every run,
# so outputs that name them can be compared with golden files.
_GIT_ENVIRONMENT = {"GIT_AUTHOR_DATE": "2027-01-01T12:00:00+00:00", "GIT_COMMITTER_DATE": "2027-01-01T12:00:00+00:00"}


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a test user, without the machine's signing settings."""
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                           "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args], cwd=repo,
                          check=True, capture_output=True, text=True, env=os.environ | _GIT_ENVIRONMENT).stdout


def commit(repo: Path, tag: str) -> None:
    """Commit everything in `repo` and tag the commit."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", tag)
    git(repo, "tag", tag)


def as_json_data(path: Path) -> dict:
    """A YAML file as an editor's JSON Schema checker sees it: dates as strings."""
    import yaml

    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


@dataclass(frozen=True)
class Ran:
    """What a run of the command line showed: exit status, standard output and error."""

    returncode: int
    stdout: str
    stderr: str


def run_briefkit(*args: str, cwd: Path | None = None, stdin: str | bytes | None = None) -> Ran:
    """Run the command line in this process, as click runs it for a user (exit status,
    output, error output); an exception that escapes the command line fails the test.
    Use `run_briefkit_process` where the promise is about a process of its own."""
    from click.testing import CliRunner

    from briefkit.cli import cli

    with contextlib.chdir(cwd) if cwd else contextlib.nullcontext():
        result = CliRunner().invoke(cli, list(args), input=stdin, prog_name="briefkit")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def run_briefkit_process(*args: str, cwd: Path | None = None, stdin: str | None = None,
                         env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a process of its own, as a user's shell does."""
    return subprocess.run([sys.executable, "-m", "briefkit", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def validate_json(root: Path, *extra: str) -> tuple[int, dict]:
    result = run_briefkit("validate", "--format", "json", "--workspace", str(root), *extra)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, json.loads(result.stdout)


@dataclass
class Page:
    """An HTML page as a test reads it: its visible text, every element with its
    attributes, and the text inside each element that has an id."""

    text: str
    elements: list[tuple[str, dict[str, str]]]
    texts: dict[str, str]  # id → the visible text inside that element
    lines: list[str]  # the visible text, a line per block (heading, paragraph, list item, row…)

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.elements if name == tag]

    def text_of(self, element_id: str) -> str:
        return self.texts[element_id]


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl",
                     "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li",
                     "main", "nav", "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul"})


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.hidden = 0
        self.open: list[tuple[str, str | None]] = []  # (tag, id) of the elements we are inside
        self.texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag in ("style", "script", "title"):
            self.hidden += 1
        if tag in _BLOCKS:
            self.chunks.append("\n")
        if tag not in _VOID:
            self.open.append((tag, attributes.get("id")))
            if attributes.get("id"):
                self.texts.setdefault(attributes["id"], [])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self.hidden -= 1
        if tag in _BLOCKS:
            self.chunks.append("\n")
        while self.open and self.open.pop()[0] != tag:
            pass  # an element left open (a <p> or <li>) closes with its parent

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.chunks.append(data)
            for _, element_id in self.open:
                if element_id:
                    self.texts[element_id].append(data)


def _visible(chunks: list[str]) -> str:
    return " ".join(" ".join(chunks).split())


def parse_html(path: Path) -> Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    lines = [" ".join(line.split()) for line in " ".join(parser.chunks).split("\n")]
    return Page(_visible(parser.chunks), parser.elements,
                {element_id: _visible(chunks) for element_id, chunks in parser.texts.items()},
                [line for line in lines if line])


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
