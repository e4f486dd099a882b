"""`briefkit diff` on a real git repository: one commit per kind of change, read
in all three formats, as a reviewer and a CI job would."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, commit, edit, git, run_briefkit, run_briefkit_process

CAMPAIGN = "briefs/launch/campaign.yaml"
BEN = "briefs/launch/creators/ben.yaml"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic workspace inside a subfolder of a git repository, changed over six commits."""
    top = tmp_path_factory.mktemp("repo")
    root = top / "marketing"
    shutil.copytree(FIXTURES / "basic", root)
    git(top, "init", "-q")
    commit(root, "base")

    edit(root / CAMPAIGN, "  fee: 300\n", "  fee: 320\n")  # Ben has the campaign's fee
    edit(root / CAMPAIGN, "    fee: 350\n", "    fee: 380\n")  # Klara has her own
    commit(root, "fees")

    edit(root / CAMPAIGN, "live_on: 2027-04-15", "live_on: 2027-04-17")
    edit(root / CAMPAIGN, "{start: 2027-04-20, end: 2027-04-25}", "{start: 2027-04-21, end: 2027-04-26}")
    commit(root, "dates")

    edit(root / CAMPAIGN, "  - id: tt-video\n", "  - id: ig-story\n    platform: instagram\n    format: story\n"
                                               "    count: 3\n    live_on: 2027-04-16\n  - id: tt-video\n")
    edit(root / BEN, "  - {id: tt-video, count: 2}\n", "")
    commit(root, "deliverables")

    (root / "briefs/launch/creators/nina.yaml").write_text(
        "handle: nina.bakes\nname: Nina Roth\nregion: AT\nfee: 200\nplatforms:\n  tiktok: {followers: 5000}\n",
        encoding="utf-8")
    (root / BEN).unlink()
    commit(root, "creators")

    edit(root / CAMPAIGN, '  hashtags: ["#HaferBarista"]', '  hashtags: ["#HaferBarista", "#OatLove"]')
    edit(root / CAMPAIGN, "https://haferhof.example/barista", "https://haferhof.example/oat")
    edit(root / CAMPAIGN, "  rounds: 1\n", "  rounds: 2\n")
    commit(root, "rules")

    edit(root / CAMPAIGN, "  fee: 320\n", "  fee: -5\n")
    commit(root, "broken")
    git(root, "checkout", "-q", "rules")  # the working tree is valid again
    return root


def diff(root: Path, *args: str) -> tuple[int, str]:
    result = run_briefkit("diff", *args, "--workspace", str(root))
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout


def diff_json(root: Path, *revisions: str) -> dict:
    code, out = diff(root, *revisions, "--format", "json")
    data = json.loads(out)
    assert data["valid"] == (code == 0)
    return data


def changes_of(data: dict) -> tuple[list, dict]:
    """(campaign-wide changes, {handle: (status, changes)}) of the only campaign."""
    [campaign] = data["campaigns"]
    own = [(c["key"], c["old"], c["new"], c["creators"]) for c in campaign["changes"]]
    creators = {c["handle"]: (c["status"], [(x["key"], x["old"], x["new"]) for x in c["changes"]])
                for c in campaign["creators"]}
    return own, creators


# --- fees ----------------------------------------------------------------------------


def test_fee_changes_name_the_creators_and_the_currency(repo: Path) -> None:
    code, text = diff(repo, "base", "fees")
    assert code == 0
    assert "    fee 300 → 320 EUR (@ben.brews)\n" in text
    assert "  @kaffee.klara: fee 350 → 380 EUR\n" in text

    own, creators = changes_of(diff_json(repo, "base", "fees"))
    assert own == [("offer.fee", "300 EUR", "320 EUR", ["@ben.brews"])]
    assert creators == {"@kaffee.klara": ("changed", [("offer.fee", "350 EUR", "380 EUR")])}

    _, markdown = diff(repo, "base", "fees", "--format", "markdown")
    assert "- fee `300` → `320 EUR` — `@ben.brews`\n" in markdown
    assert "- `@kaffee.klara`: fee `350` → `380 EUR`\n" in markdown


# --- dates ---------------------------------------------------------------------------


def test_rescheduled_deliverables_show_old_and_new_dates_once_for_the_campaign(repo: Path) -> None:
    code, text = diff(repo, "fees", "dates")
    assert code == 0
    assert "    ig-post go-live 2027-04-15 → 2027-04-17 (@kaffee.klara, @ben.brews)\n" in text
    assert "    tt-video go-live 2027-04-20 – 2027-04-25 → 2027-04-21 – 2027-04-26 (@ben.brews)\n" in text
    assert "  @" not in text  # nothing creator-specific: the campaign explains it all

    own, creators = changes_of(diff_json(repo, "fees", "dates"))
    assert own == [("deliverables.ig-post.live", "2027-04-15", "2027-04-17", ["@kaffee.klara", "@ben.brews"]),
                   ("deliverables.tt-video.live", "2027-04-20 – 2027-04-25", "2027-04-21 – 2027-04-26",
                    ["@ben.brews"])]
    assert creators == {}

    _, markdown = diff(repo, "fees", "dates", "--format", "markdown")
    assert "- ig-post go-live `2027-04-15` → `2027-04-17` — `@kaffee.klara`, `@ben.brews`\n" in markdown


# --- deliverables --------------------------------------------------------------------


def test_added_and_removed_deliverables(repo: Path) -> None:
    code, text = diff(repo, "dates", "deliverables")
    assert code == 0
    # Klara takes every Instagram deliverable; Ben lists his own and did not add it.
    assert ("    added deliverable ig-story (instagram story ×3, go-live 2027-04-16) (@kaffee.klara)\n"
            in text)
    assert "  @ben.brews: removed deliverable tt-video; tiktok tracking link removed\n" in text

    own, creators = changes_of(diff_json(repo, "dates", "deliverables"))
    assert [(key, old, creators_) for key, old, _, creators_ in own] == [
        ("deliverables.ig-story", None, ["@kaffee.klara"])]
    assert own[0][2]["count"] == 3 and own[0][2]["live"] == "2027-04-16"
    status, ben = creators["@ben.brews"]
    assert status == "changed"
    assert [key for key, _, _ in ben] == ["deliverables.tt-video", "tracking.links.tiktok"]
    assert ben[0][2] is None and ben[0][1]["count"] == 2

    _, markdown = diff(repo, "dates", "deliverables", "--format", "markdown")
    assert "- `@ben.brews`: removed deliverable `tt-video`; tiktok tracking link removed\n" in markdown


# --- creators ------------------------------------------------------------------------


def test_added_and_removed_creators_with_what_their_brief_held(repo: Path) -> None:
    code, text = diff(repo, "deliverables", "creators")
    assert code == 0
    assert ("  @nina.bakes added: Nina Roth; region AT; fee 200 EUR; code OAT-nina-bakes; "
            "tt-video (tiktok video, go-live 2027-04-21 – 2027-04-26)\n") in text
    assert "  @ben.brews removed: Ben Carter; region US; fee 320 EUR; code OAT-ben-brews; ig-post" in text
    assert text.rstrip().endswith("1 campaign changed; creators: 1 added, 1 removed")

    _, creators = changes_of(diff_json(repo, "deliverables", "creators"))
    assert creators == {"@nina.bakes": ("added", []), "@ben.brews": ("removed", [])}
    data = diff_json(repo, "deliverables", "creators")
    nina = data["campaigns"][0]["creators"][0]
    assert nina["brief"]["fee"] == "200 EUR" and list(nina["brief"]["deliverables"]) == ["tt-video"]

    _, markdown = diff(repo, "deliverables", "creators", "--format", "markdown")
    assert "- `@nina.bakes` added: `Nina Roth`; region `AT`; fee `200 EUR`" in markdown
    assert "- `@ben.brews` removed:" in markdown


# --- rules, hashtags, tracking -----------------------------------------------------


def test_rules_hashtags_and_tracking_are_listed_once_with_everyone_they_reach(repo: Path) -> None:
    code, text = diff(repo, "creators", "rules")
    assert code == 0
    assert "    hashtags: added #OatLove (@kaffee.klara, @nina.bakes)\n" in text
    assert ("    landing page https://haferhof.example/barista → https://haferhof.example/oat "
            "(@kaffee.klara, @nina.bakes)\n") in text
    assert "    review rounds 1 → 2 (@kaffee.klara, @nina.bakes)\n" in text
    assert "  @" not in text

    own, _ = changes_of(diff_json(repo, "creators", "rules"))
    assert [key for key, *_ in own] == ["creative.hashtags", "review.rounds", "tracking.landing_page"]

    _, markdown = diff(repo, "creators", "rules", "--format", "markdown")
    assert "- hashtags: added `#OatLove` — `@kaffee.klara`, `@nina.bakes`\n" in markdown


def test_a_creators_new_region_changes_their_disclosure_rules(repo: Path, tmp_path: Path) -> None:
    edit(repo / "briefs/launch/creators/nina.yaml", "region: AT", "region: FR")
    try:
        own, creators = changes_of(diff_json(repo))  # HEAD (rules) and the working tree
    finally:
        git(repo, "checkout", "--", ".")
    assert own == []
    status, nina = creators["@nina.bakes"]
    assert ("creator.region", "AT", "FR") in nina
    assert ("disclosure.regions", ["AT"], ["FR"]) in nina


# --- no changes, invalid revisions, usage errors ------------------------------------


@pytest.mark.parametrize("output_format, suffix", [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_every_kind_of_change_reads_as_the_golden_file(repo: Path, output_format: str, suffix: str, golden) -> None:
    """From the first commit to the last valid one: fees, dates, deliverables, creators,
    rules and tracking, as a reviewer reads them in each format."""
    code, out = diff(repo, "base", "rules", "--format", output_format)
    assert code == 0
    golden(f"diff/base-rules.{suffix}", out)


def test_no_changes_between_the_head_and_a_clean_working_tree(repo: Path) -> None:
    code, text = diff(repo)
    assert code == 0
    assert text.splitlines()[1:] == ["no brief changed"]
    assert diff_json(repo)["campaigns"] == []
    assert "No brief changed." in diff(repo, "--format", "markdown")[1]


def test_a_revision_that_does_not_validate_gives_its_errors_and_exit_1(repo: Path) -> None:
    code, text = diff(repo, "rules", "broken")
    assert code == 1
    assert "broken (" in text and "does not validate:" in text
    assert "briefs/launch/campaign.yaml:17:8: error: must not be negative, found -5 (offer.fee)" in text

    data = diff_json(repo, "rules", "broken")
    assert data["campaigns"] == []
    [error] = data["errors"]
    assert (error["revision"], error["file"], error["line"], error["column"], error["path"]) == (
        "broken", CAMPAIGN, 17, 8, "offer.fee")

    code, markdown = diff(repo, "rules", "broken", "--format", "markdown")
    assert code == 1 and "```text\nbriefs/launch/campaign.yaml:17:8: error:" in markdown


def test_an_older_revision_without_the_workspace_shows_every_campaign_as_added(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    (top / "README").write_text("before briefkit\n")
    git(top, "init", "-q")
    commit(top, "empty")
    shutil.copytree(FIXTURES / "basic", top / "ws")
    code, text = diff(top / "ws", "empty")
    assert code == 0
    assert "launch: Oat Drink Launch (added)" in text
    assert "  @kaffee.klara added: Klara Schmidt" in text


def test_usage_errors(repo: Path, tmp_path: Path) -> None:
    code, _ = diff(repo, "no-such-revision")
    assert code == 2
    result = run_briefkit_process("diff", "--workspace", str(tmp_path))
    assert result.returncode == 2 and "not a git repository" in result.stderr
    assert diff(repo, "base", "fees", "rules")[0] == 2


def test_reading_revisions_leaves_the_working_tree_and_index_alone(repo: Path) -> None:
    before = git(repo, "status", "--porcelain=v1", "--ignored")
    diff(repo, "base", "broken")
    assert git(repo, "status", "--porcelain=v1", "--ignored") == before


def test_markdown_values_are_code_spans_whatever_they_hold() -> None:
    from briefkit.diffreport import code_span

    assert code_span("@maya") == "`@maya`"
    assert code_span("a`b") == "``a`b``"
    assert code_span("`x`") == "`` `x` ``"
    assert code_span("a\nb\r\x1b[2J\u202e") == "`a\\nb\\r\\x1b[2J\\u202e`"
    for value in HOSTILE_VALUES:
        spans, prose = markdown_parts(code_span(value))
        assert (spans, prose) == ([shown(value)], ""), value


def test_internal_notes_are_never_reported(repo: Path) -> None:
    edit(repo / CAMPAIGN, "INTERNAL-CANARY-7731", "INTERNAL-CANARY-0000")
    edit(repo / CAMPAIGN, "INTERNAL-CANARY-2209", "INTERNAL-CANARY-1111")
    try:
        code, text = diff(repo)
        data = diff_json(repo)
    finally:
        git(repo, "checkout", "--", ".")
    assert code == 0 and text.splitlines()[1:] == ["no brief changed"]
    assert data["campaigns"] == []


# --- hostile values: what a reviewer reads cannot be forged --------------------------

HOSTILE_VALUES = [
    "![x](https://evil.example/p.png)", "[click](javascript:alert(1))", "@everyone", "see #123",
    "# Fake heading", "<img src=x onerror=alert(1)>", "`", "``", "a ``` b", "`x`", " `y` ", "x\\",
    "ok\n- [x] approved by legal", "one\r\ntwo\rthree", "\x1b[2J\x1b]8;;https://evil.example\x07here",
    "\u202eevil\u2066", "  ",
]
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(value: str) -> str:
    """A value as the reader must see it: every control character (C0, DEL, C1, bidi
    embeddings, overrides and isolates) as a visible escape."""
    names = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return CONTROL.sub(lambda m: names.get(m[0]) or (f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100
                                                     else f"\\u{ord(m[0]):04x}"), value)


def markdown_parts(line: str) -> tuple[list[str], str]:
    """A line of Markdown as CommonMark reads its code spans: their contents, and the text
    outside them (where GitHub makes links, images, mentions, references and HTML)."""
    spans, prose, at = [], [], 0
    while at < len(line):
        if line[at] == "\\" and at + 1 < len(line):  # a backslash escape outside a code span
            prose.append(line[at:at + 2])
            at += 2
            continue
        if line[at] != "`":
            prose.append(line[at])
            at += 1
            continue
        opener = re.match(r"`+", line[at:])[0]
        start = at + len(opener)
        closer = next((m for m in re.finditer(r"`+", line[start:]) if len(m[0]) == len(opener)), None)
        if closer is None:  # no code span: the backticks are text
            prose.append(opener)
            at = start
            continue
        content = line[start:start + closer.start()]
        if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
            content = content[1:-1]
        spans.append(content)
        at = start + closer.end()
    return spans, "".join(prose)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """The basic workspace committed, then changed in the working tree to values that try
    to break out of what a reviewer reads: Markdown, mentions, HTML, terminal escapes."""
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "basic", root)
    git(root, "init", "-q")
    commit(root, "base")
    edit(root / CAMPAIGN, "title: Oat Drink Launch\n",
         "title: |-\n  Oat Drink Launch @everyone\n  - [x] approved by legal\n  # Fake heading #123\n")
    edit(root / CAMPAIGN, "  - id: tt-video\n",
         '  - id: ig-story\n    platform: instagram\n    format: "story ![x](https://evil.example/p.png) @everyone"\n'
         "    live_on: 2027-04-16\n  - id: tt-video\n")
    edit(root / CAMPAIGN, '  hashtags: ["#HaferBarista"]',
         '  hashtags: ["#HaferBarista"]\n  do: ["#12 `` ` ``` @everyone", "ok\\x1b[2J\\u202e #9"]')
    edit(root / CAMPAIGN, "  fee: 300\n",
         '  fee: 300\n  payment_terms: "<img src=x> [click](javascript:alert(1)) #7"\n')
    edit(root / CAMPAIGN, "  - {path: assets/logo.svg, title: Haferhof logo}",
         "  - {path: assets/logo.svg, title: Haferhof logo}\n"
         "  - {path: 'assets/@everyone #123 [x](javascript:alert(1)).txt', title: '`t`'}")
    (root / "briefs/launch/assets/@everyone #123 [x](javascript:alert(1)).txt").write_text("hi")
    (root / "briefs/launch/creators/nina.yaml").write_text(
        'handle: nina.bakes\nname: "Nina ![x](https://evil.example/p.png) <img src=x> ``` `` ` @everyone\\r'
        '\\x1b]8;;https://evil.example\\x07 \\u202eevil"\nregion: AT\nfee: 200\n'
        "platforms:\n  tiktok: {followers: 5000}\n", encoding="utf-8")
    return root


HOSTILE_SHOWN = [  # what the reviewer must read, each as one code span
    "Oat Drink Launch @everyone\\n- [x] approved by legal\\n# Fake heading #123",
    "story ![x](https://evil.example/p.png) @everyone",
    "#12 `` ` ``` @everyone", "ok\\x1b[2J\\u202e #9",
    "<img src=x> [click](javascript:alert(1)) #7",
    "Nina ![x](https://evil.example/p.png) <img src=x> ``` `` ` @everyone"
    "\\r\\x1b]8;;https://evil.example\\x07 \\u202eevil",
]


def test_markdown_shows_every_value_as_a_code_span_it_cannot_leave(hostile: Path) -> None:
    code, markdown = diff(hostile, "--format", "markdown")
    assert code == 0
    spans, prose = [], []
    for line in markdown.split("\n"):
        line_spans, line_prose = markdown_parts(line)
        spans += line_spans
        prose.append(line_prose)
    for value in HOSTILE_SHOWN:
        assert value in spans, value
    assert any("assets/@everyone #123 [x](javascript:alert(1)).txt" in s for s in spans)
    outside = "\n".join(prose)
    # Only briefkit's own words are outside code spans: the headings' #, **, _ and list dashes.
    for line in outside.split("\n"):
        words = re.sub(r"^#{3,4} |^- |^\*\*(Whole campaign|Creators)\*\*$|^_(.*)_$", r"\2", line)
        assert not re.search(r"[@#<>\[\]!`*_\\\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", words), line
    for word in ("evil", "everyone", "approved", "javascript", "img", "Fake"):
        assert word not in outside, word
    assert not re.search(r"^(- \[|#{1,2} |# )", markdown, re.MULTILINE)
    assert not CONTROL.search(markdown.replace("\n", ""))
    # And a Markdown renderer finds no image, link, raw HTML or extra heading in it:
    import markdown as python_markdown

    html = python_markdown.markdown(markdown)
    assert "<img" not in html and "<a " not in html and "<h1" not in html and "<h2" not in html


def test_the_terminal_gets_no_control_character_from_a_value(hostile: Path) -> None:
    code, text = diff(hostile)
    assert code == 0
    assert not CONTROL.search(text.replace("\n", "")), repr(text)
    assert "launch: Oat Drink Launch @everyone\\n- [x] approved by legal\\n# Fake heading #123\n" in text
    assert "@everyone\\r\\x1b]8;;https://evil.example\\x07 \\u202eevil" in text
    assert "do's: added #12 `` ` ``` @everyone, ok\\x1b[2J\\u202e #9 (" in text
    # JSON says it exactly, escaped by JSON itself:
    data = diff_json(hostile)
    [nina] = [c for c in data["campaigns"][0]["creators"] if c["handle"] == "@nina.bakes"]
    assert nina["brief"]["name"].endswith("@everyone\r\x1b]8;;https://evil.example\x07 \u202eevil")
