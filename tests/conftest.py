from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
CHROMIUM = "/usr/bin/chromium"  # installed by scripts/setup --test; never `playwright install`
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a test user, without the machine's signing settings."""
    return subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
                           "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                          capture_output=True, text=True).stdout


def commit(repo: Path, tag: str) -> None:
    """Commit everything in `repo` and tag the commit."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", tag)
    git(repo, "tag", tag)


def as_json_data(path: Path) -> dict:
    """A YAML file as an editor's JSON Schema checker sees it: dates as strings."""
    import yaml

    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def run_briefkit(*args: str, cwd: Path | None = None, stdin: str | None = None,
                 env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would."""
    return subprocess.run([sys.executable, "-m", "briefkit", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def validate_json(root: Path, *extra: str) -> tuple[int, dict]:
    result = run_briefkit("validate", "--format", "json", "--workspace", str(root), *extra)
    assert "Traceback" not in result.stderr + result.stdout
    return result.returncode, json.loads(result.stdout)


@dataclass
class Page:
    """An HTML page as a test reads it: its visible text and every element with attributes."""

    text: str
    elements: list[tuple[str, dict[str, str]]]

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.elements if name == tag]


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("style", "script", "title"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.chunks.append(data)


def parse_html(path: Path) -> Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return Page(" ".join(" ".join(parser.chunks).split()), parser.elements)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
