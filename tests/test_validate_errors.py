"""Every class of bad input gets exit status 1 and a diagnostic at the exact place, with a hint.

Each case changes one file of tests/fixtures/basic and names the diagnostic it
must produce: file, line, column, key path and a piece of the hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import edit, run_briefkit, validate_json

CAMPAIGN = "briefs/launch/campaign.yaml"
BEN = "briefs/launch/creators/ben.yaml"
SETTINGS = "briefkit.yaml"

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))


@dataclass
class Case:
    name: str
    file: str
    old: str | None  # text to replace; None: `new` is the whole file
    new: str | bytes
    where: tuple[str, int, int, str]  # file, line, column, key path
    hint: str
    message: str = ""


CASES = [
    Case("unknown key", CAMPAIGN, "overview:", "overveiw:",
         (CAMPAIGN, 12, 1, "overveiw"), "did you mean `overview`?", "unknown key"),
    Case("missing required key", CAMPAIGN, "title: Oat Drink Launch\n", "",
         (CAMPAIGN, 1, 1, "title"), "add `title:`", "`title` is required"),
    Case("wrong type: text for a number", CAMPAIGN, "budget: 2000", "budget: lots",
         (CAMPAIGN, 11, 9, "budget"), "digits only", "expected an amount"),
    Case("wrong type: text for a list", CAMPAIGN, "objectives:\n  - metric: awareness",
         "objectives: awareness", (CAMPAIGN, 13, 13, "objectives"), "- item", "expected a list"),
    Case("number where text is expected", BEN, "name: Ben Carter", "name: 1234",
         (BEN, 2, 7, "name"), "in quotes", "expected text, found the number 1234"),
    Case("unquoted NO as a yes/no answer", CAMPAIGN, "    format: post\n",
         "    format: post\n    collab_post: NO\n",
         (CAMPAIGN, 22, 18, "deliverables[0].collab_post"), "write false", "true or false"),
    Case("bad e-mail", CAMPAIGN, "jonas@haferhof.example", "jonas(at)haferhof",
         (CAMPAIGN, 8, 10, "contact.email"), "name@example.com", "not an e-mail address"),
    Case("bad URL", CAMPAIGN, "https://haferhof.example/barista", "haferhof.example/barista",
         (CAMPAIGN, 36, 17, "tracking.landing_page"), "https://example.com", "web address"),
    Case("bad colour", CAMPAIGN, '"#1D3557"', '"navy"',
         (CAMPAIGN, 5, 21, "brand.colors.primary"), "six hex digits", "colour"),
    Case("malformed locale", CAMPAIGN, "locale: de-DE", "locale: German",
         (CAMPAIGN, 9, 9, "locale"), "de-DE", "not a language tag"),
    Case("unknown currency (from defaults in briefkit.yaml)", SETTINGS, "currency: EUR",
         "currency: EURO", (SETTINGS, 3, 13, "defaults.currency"), "EUR", "not a currency code"),
    Case("unknown time zone", BEN, "locale: en-US", "locale: en-US\ntimezone: Europe/Berln",
         (BEN, 5, 11, "timezone"), "Europe/Berlin", "not a time zone"),
    Case("unknown region", BEN, "region: US", "region: UK",
         (BEN, 3, 9, "region"), "write GB", "not the ISO country code"),
    Case("bad platform, with did-you-mean", CAMPAIGN, "platform: instagram", "platform: instagran",
         (CAMPAIGN, 20, 15, "deliverables[0].platform"), "did you mean `instagram`?", "expected one of"),
    Case("unknown platform key", BEN, "  tiktok:", "  tiktokk:",
         (BEN, 7, 3, "platforms.tiktokk"), "did you mean `tiktok`?", "not allowed here"),
    Case("bad slug", CAMPAIGN, "id: ig-post", "id: IG Post",
         (CAMPAIGN, 19, 9, "deliverables[0].id"), "a-z, 0-9", "lowercase letters"),
    Case("impossible date", CAMPAIGN, "respond_by: 2027-04-01", "respond_by: 2027-02-30",
         (CAMPAIGN, 10, 13, "respond_by"), "day and month", "not a real date"),
    Case("date and time without offset", CAMPAIGN, "live_on: 2027-04-15", "live_on: 2027-04-15T10:00",
         (CAMPAIGN, 23, 14, "deliverables[0].live_on"), "+01:00", "UTC offset"),
    Case("YAML syntax error", BEN, 'name: Ben Carter', 'name: "Ben Carter',
         (BEN, 12, 1, ""), "quote", "YAML syntax error"),
    Case("tab indentation", BEN, "  instagram:", "\tinstagram:",
         (BEN, 6, 1, ""), "tabs", "YAML syntax error"),
    Case("duplicate key", BEN, "why_you:", "name: Benjamin\nwhy_you:",
         (BEN, 11, 1, "name"), "already set on line 2", "duplicate key"),
    Case("billion laughs", BEN, None, BILLION_LAUGHS,
         (BEN, 6, 8, "f[0]"), "billion laughs", "aliases expand"),
    Case("recursive alias", BEN, None, "a: &x [1, *x]\n",
         (BEN, 1, 11, "a[1]"), "recursive", "contains itself"),
    Case("empty file", BEN, None, "# nothing yet\n",
         (BEN, 1, 1, ""), "write the campaign or creator keys", "empty"),
    Case("not UTF-8", BEN, None, "handle: ben\nname: B\xe9n\n".encode("latin-1"),
         (BEN, 2, 8, ""), "UTF-8", "not UTF-8"),
    Case("draft due before respond-by", CAMPAIGN, "draft_due: 2027-04-10", "draft_due: 2027-03-20",
         (CAMPAIGN, 22, 16, "deliverables[0].draft_due"), "after respond_by", "before the respond-by"),
    Case("review turnaround after go-live", CAMPAIGN, "live_on: 2027-04-15", "live_on: 2027-04-11",
         (CAMPAIGN, 23, 14, "deliverables[0].live_on"), "go-live date later", "review takes 2 days"),
    Case("window ends before it starts", CAMPAIGN, "end: 2027-04-25", "end: 2027-04-19",
         (CAMPAIGN, 27, 43, "deliverables[1].live_window.end"), "swap", "ends"),
    Case("creator override date before respond-by", BEN, "{id: tt-video, count: 2}",
         "{id: tt-video, count: 2, live_on: 2027-03-01}",
         (BEN, 10, 39, "deliverables[1].live_on"), "after respond_by", "@ben.brews"),
    Case("paid offer without fee for a creator", CAMPAIGN, "  fee: 300\n", "",
         (BEN, 1, 1, ""), "add `fee:`, or write `type: gifted`", "@ben.brews's offer: a paid offer needs a fee"),
    Case("gifted offer needs a product", CAMPAIGN, "type: paid", "type: gifted",
         (CAMPAIGN, 16, 9, "offer.type"), "add `product:", "the campaign's offer: a gifted offer needs a product"),
    Case("affiliate offer needs commission", CAMPAIGN, "type: paid", "type: affiliate",
         (CAMPAIGN, 16, 9, "offer.type"), "commission_percent: 15", "an affiliate offer needs `commission_percent`"),
    Case("budget exceeded", CAMPAIGN, "budget: 2000", "budget: 500",
         (CAMPAIGN, 11, 9, "budget"), "raise the budget", "650.00 EUR"),
    Case("duplicate handle", BEN, 'handle: "@ben.brews"', "handle: Kaffee.Klara",
         (BEN, 1, 9, "handle"), "their own handle", "also used"),
    Case("duplicate slug", BEN, "name: Ben Carter", "name: Ben Carter\nslug: kaffee-klara",
         (BEN, 3, 7, "slug"), "their own slug", "also used"),
    Case("duplicate discount code", BEN, "name: Ben Carter",
         "name: Ben Carter\ndiscount_code: oat-KAFFEE-klara",
         (BEN, 3, 16, "discount_code"), "their own discount code", "also used"),
    Case("unknown placeholder", BEN, "the best in town", "the best in {creator.twon}",
         (BEN, 11, 10, "why_you"), "did you mean `{creator.name}`?", "unknown placeholder"),
    Case("placeholder where it cannot be used", CAMPAIGN, '"OAT-{creator.slug}"', '"OAT-{platform}"',
         (CAMPAIGN, 37, 18, "tracking.discount_code"), "allowed here", "cannot be used here"),
    Case("path leaving the workspace", CAMPAIGN, "logo: assets/logo.svg", "logo: ../../../../etc/passwd",
         (CAMPAIGN, 4, 9, "brand.logo"), "inside the workspace", "outside the workspace"),
    Case("absolute path", CAMPAIGN, "logo: assets/logo.svg", "logo: /etc/passwd",
         (CAMPAIGN, 4, 9, "brand.logo"), "relative to this file", "absolute path"),
    Case("an asset that is the workspace's own YAML", CAMPAIGN, "path: assets/logo.svg", "path: creators/ben.yaml",
         (CAMPAIGN, 49, 12, "assets[0].path"), "name an image or document", "YAML file of the workspace"),
    Case("an asset that is a hidden file", CAMPAIGN, "path: assets/logo.svg", "path: ../../.env",
         (CAMPAIGN, 49, 12, "assets[0].path"), "name an image or document", "hidden file"),
    # Hostile input (docs/security.md): each is an error at its place, never exit 3.
    Case("a control character", BEN, "name: Ben Carter", "name: Ben\x01Carter",
         (BEN, 2, 10, ""), "delete it", "control character U+0001"),
    Case("UTF-16 without a byte order mark", BEN, None, 'handle: "@ben.brews"\n'.encode("utf-16-le"),
         (BEN, 1, 1, ""), "save the file as UTF-8", "UTF-16"),
    Case("a merge key on a number", BEN, "name: Ben Carter", "<<: 1\nname: Ben Carter",
         (BEN, 2, 1, ""), "*anchor", "`<<` must refer to a mapping"),
    Case("a number of five thousand digits", CAMPAIGN, "fee: 300", "fee: " + "9" * 5000,
         (CAMPAIGN, 17, 8, "offer.fee"), "whole units", "more than briefkit takes here (1,000,000,000,000)"),
    Case("a fee of 10 to the 40th", CAMPAIGN, "fee: 300", "fee: 1e40",
         (CAMPAIGN, 17, 8, "offer.fee"), "whole units", "1.000e+40 is more than briefkit takes here"),
    Case("an answer in eight thousand years", CAMPAIGN, "turnaround_days: 2", "turnaround_days: 3000000",
         (CAMPAIGN, 34, 20, "review.turnaround_days"), "", "must be at most 365"),
    Case("more followers than people", BEN, "followers: 120000", "followers: 1" + "0" * 30,
         (BEN, 6, 26, "platforms.instagram.followers"), "", "must be at most 10000000000"),
    Case("a window ending on the last day there is", CAMPAIGN, "end: 2027-04-25", "end: 9999-12-31",
         (CAMPAIGN, 27, 43, "deliverables[1].live_window.end"), "between 2000-01-01 and 2999-12-31",
         "not a date briefkit plans for"),
    Case("an answer due in the year 1", CAMPAIGN, "respond_by: 2027-04-01", "respond_by: 0001-01-01",
         (CAMPAIGN, 10, 13, "respond_by"), "between 2000-01-01", "not a date briefkit plans for"),
    Case("a handle too long for a file name", BEN, 'handle: "@ben.brews"', 'handle: "@' + "b" * 300 + '"',
         (BEN, 1, 9, "handle"), "shorten it", "301 characters long; at most 100"),
    Case("a NUL in a path", CAMPAIGN, "path: assets/logo.svg", 'path: "assets/lo\\0go.svg"',
         (CAMPAIGN, 49, 12, "assets[0].path"), "as the file is named", "control characters"),
    Case("a path too long for a file system", CAMPAIGN, "path: assets/logo.svg", "path: assets/" + "x" * 300 + ".svg",
         (CAMPAIGN, 49, 12, "assets[0].path"), "shorter name", "too long for a file system"),
    Case("missing file", CAMPAIGN, "logo: assets/logo.svg", "logo: assets/logo.png",
         (CAMPAIGN, 4, 9, "brand.logo"), "did you mean `logo.svg`?", "not found"),
    Case("deliverable on a platform the creator lacks", CAMPAIGN, "    fee: 350",
         "    fee: 350\n    deliverables: [tt-video]",
         (CAMPAIGN, 47, 20, "creators[0].deliverables[0]"), "add tiktok", "does not have"),
    Case("unknown deliverable id", BEN, "  - ig-post", "  - ig-pots",
         (BEN, 9, 5, "deliverables[0]"), "did you mean `ig-post`?", "no deliverable"),
    Case("negative followers", BEN, "followers: 4000", "followers: -5",
         (BEN, 7, 23, "platforms.tiktok.followers"), "", "at least 0"),
    Case("a hashtag YAML takes for a comment", CAMPAIGN, '  hashtags: ["#HaferBarista"]',
         "  hashtags:\n    - #HaferBarista", (CAMPAIGN, 31, 7, "creative.hashtags[0]"),
         'put it in quotes: - "#HaferBarista"', "`#HaferBarista` is a comment to YAML"),
    Case("a handle starting with @ without quotes", BEN, 'handle: "@ben.brews"', "handle: @ben.brews",
         (BEN, 1, 9, ""), 'write it in quotes: handle: "@ben.brews"', "cannot start with @"),
    Case("a profile address for a handle", BEN, 'handle: "@ben.brews"', "handle: https://www.instagram.com/ben.brews/",
         (BEN, 1, 9, "handle"), "write only the handle: ben.brews", "address of a profile"),
    Case("a country's name for its code", BEN, "region: US", "region: Brasil",
         (BEN, 3, 9, "region"), "write BR", "name of a country"),
    Case("a country's own name for its code", BEN, "region: US", "region: Deutschland",
         (BEN, 3, 9, "region"), "write DE", "name of a country"),
    Case("a city for a time zone", BEN, "locale: en-US", "locale: en-US\ntimezone: Mexico City",
         (BEN, 5, 11, "timezone"), "write America/Mexico_City", "is a city"),
    Case("private links without a secret", SETTINGS, "theme: default", "theme: default\nprivate_links: true",
         (SETTINGS, 2, 16, "private_links"), "BRIEFKIT_SECRET", "secret"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_at_its_place(case: Case, workspace: Path) -> None:
    target = workspace / case.file
    if case.old is None:
        content = case.new
    else:
        text = target.read_text(encoding="utf-8")
        assert case.old in text, f"fixture changed: {case.old!r} not found"
        content = text.replace(case.old, case.new, 1)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")

    status, report = validate_json(workspace)

    assert status == 1
    found = [(d["file"], d["line"], d["column"], d["path"]) for d in report["diagnostics"]]
    assert case.where in found, found
    diagnostic = report["diagnostics"][found.index(case.where)]
    assert diagnostic["severity"] == "error"
    assert case.message in diagnostic["message"]
    assert case.hint in diagnostic["hint"]


def test_a_logo_that_is_no_image(workspace: Path) -> None:
    (workspace / "briefs/launch/assets/notes.txt").write_text("not a picture")
    edit(workspace / CAMPAIGN, "logo: assets/logo.svg", "logo: assets/notes.txt")
    status, report = validate_json(workspace)
    assert status == 1
    [problem] = [d for d in report["diagnostics"] if d["path"] == "brand.logo"]
    assert (problem["line"], problem["column"]) == (4, 9)
    assert "not an image" in problem["message"] and "SVG" in problem["hint"]


@pytest.mark.parametrize(("name", "make", "what"), [
    ("ghost.yaml", lambda path: path.symlink_to("/nonexistent/ghost.yaml"), "a link to a file that does not exist"),
    ("folder.yaml", lambda path: path.mkdir(), "a folder"),
])
def test_a_creator_file_that_cannot_be_read_is_an_error_not_a_missing_creator(workspace: Path, name: str,
                                                                             make, what: str) -> None:
    make(workspace / "briefs/launch/creators" / name)
    status, report = validate_json(workspace)
    assert status == 1
    assert [(d["file"], d["message"]) for d in report["diagnostics"] if d["severity"] == "error"] == [
        (f"briefs/launch/creators/{name}", f"cannot read `{name}`: it is {what}")]


def test_a_campaign_file_that_is_a_folder_is_an_error(workspace: Path) -> None:
    (workspace / "briefs/other/campaign.yaml").mkdir(parents=True)
    status, report = validate_json(workspace)
    assert status == 1
    assert [(d["file"], d["message"]) for d in report["diagnostics"] if d["severity"] == "error"] == [
        ("briefs/other/campaign.yaml", "cannot read `campaign.yaml`: it is a folder")]


def test_table_covers_at_least_twenty_distinct_inputs() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 20


def test_all_errors_of_a_run_are_reported(workspace: Path) -> None:
    campaign = workspace / CAMPAIGN
    campaign.write_text(campaign.read_text().replace("budget: 2000", "budget: lots")
                        .replace("locale: de-DE", "locale: de_DE"), encoding="utf-8")
    ben = workspace / BEN
    ben.write_text(ben.read_text().replace("region: US", "region: ZZ"), encoding="utf-8")

    status, report = validate_json(workspace)

    assert status == 1
    assert {(d["file"], d["path"]) for d in report["diagnostics"]} == {
        (CAMPAIGN, "budget"), (CAMPAIGN, "locale"), (BEN, "region")}


def test_a_key_named_like_pydantics_key_marker_is_reported_as_unknown(workspace: Path) -> None:
    campaign = workspace / "briefs/launch/campaign.yaml"
    campaign.write_text("'[key]': null\n" + campaign.read_text())
    status, report = validate_json(workspace)
    assert status == 1
    assert [(d["line"], d["column"], d["message"]) for d in report["diagnostics"]] == [
        (1, 1, "unknown key `[key]`")]


def test_a_mistake_yaml_took_for_a_comment_is_one_message(workspace: Path) -> None:
    campaign = workspace / CAMPAIGN
    campaign.write_text(campaign.read_text().replace('  hashtags: ["#HaferBarista"]', "  hashtags:\n    - #HaferBarista"))
    _, report = validate_json(workspace)
    assert [(d["line"], d["code"]) for d in report["diagnostics"]] == [(31, "yaml-comment")]


def test_a_copied_creator_file_is_one_error(workspace: Path) -> None:
    ben = workspace / BEN
    (ben.parent / "ben-copy.yaml").write_text(ben.read_text())
    status, report = validate_json(workspace)
    assert status == 1
    [problem] = report["diagnostics"]  # not also its slug and its discount code
    assert problem["file"] == "briefs/launch/creators/ben.yaml" and problem["path"] == "handle"
    assert problem["message"].startswith("handle `@ben.brews` is also used in briefs/launch/creators/ben-copy.yaml")


def test_errors_come_before_warnings(workspace: Path) -> None:
    campaign = workspace / CAMPAIGN
    campaign.write_text(campaign.read_text().replace("    fee: 350\n", "    fee: 350\n    tier: nano\n"))
    ben = workspace / BEN
    ben.write_text(ben.read_text().replace("region: US", "region: UK"))
    _, report = validate_json(workspace)
    severities = [d["severity"] for d in report["diagnostics"]]
    assert severities == ["error", "warning"]  # ben.yaml's error first, though campaign.yaml sorts before it


def test_a_reply_by_date_already_past_is_a_warning(workspace: Path) -> None:
    campaign = workspace / CAMPAIGN
    campaign.write_text(campaign.read_text().replace("respond_by: 2027-04-01", "respond_by: 2026-12-20"))
    status, report = validate_json(workspace)  # the tests' clock says 2027-01-04
    assert status == 0
    [late] = report["diagnostics"]
    assert (late["severity"], late["line"], late["column"], late["path"]) == ("warning", 10, 13, "respond_by")
    assert late["message"] == "the reply-by date 2026-12-20 has passed"


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_the_terminal_gets_no_control_character_from_a_file(workspace: Path) -> None:
    """A value, a key or a source line may hold terminal escapes (clear the screen, a
    hidden hyperlink, a bell), a bare CR that overwrites the line, or a bidi override:
    the text and GitHub formats show each escaped; JSON keeps the value exact."""
    ben = workspace / BEN
    text = ben.read_text(encoding="utf-8")
    text = text.replace('handle: "@ben.brews"',
                        'handle: "@ben\\x1b]8;;https://evil.example\\x07brews\\x1b[2J\\u202e"')
    ben.write_bytes(text.replace("region: US", "region:\tUK\r# fine").encode())

    result = run_briefkit("validate", "--workspace", str(workspace))
    assert result.returncode == 1
    assert not CONTROL.search(result.stdout.replace("\n", "")), repr(result.stdout)
    lines = result.stdout.splitlines()
    assert lines[0] == ("briefs/launch/creators/ben.yaml:1:9: error: `@ben\\x1b]8;;https://evil.example\\x07brews"
                        "\\x1b[2J\\u202e` is the address of a profile, not a handle (handle)")
    assert "      = hint: write only the handle: evil.example\\x07brews\\x1b[2J\\u202e" in lines
    at = lines.index("    3 | region:\\tUK\\r# fine")  # the source line, escaped too
    assert lines[at + 1] == "      |          ^"  # and the caret under the value, past the shown \t

    github = run_briefkit("validate", "--format", "github", "--workspace", str(workspace))
    assert not CONTROL.search(github.stdout.replace("\n", "")), repr(github.stdout)
    assert "brews\\x1b[2J\\u202e` is the address of a profile" in github.stdout

    _, report = validate_json(workspace)
    assert report["diagnostics"][0]["message"].startswith("`@ben\x1b]8;;https://evil.example\x07brews\x1b[2J\u202e`")


def test_an_image_in_markdown_is_a_warning_at_its_text(workspace: Path) -> None:
    edit(workspace / "briefs/launch/campaign.yaml", "overview: Our new **oat drink** for coffee.",
         'overview: "Our new **oat drink**. ![pack shot](assets/pack.png)"')
    edit(workspace / "briefs/launch/creators/ben.yaml", "why_you: Your latte art reels are the best in town.",
         "why_you: {de: 'Schau: <img src=x.png>', en: 'Look: <img src=x.png>'}")
    status, report = validate_json(workspace)
    found = [(d["file"], d["line"], d["path"]) for d in report["diagnostics"] if d["code"] == "markdown"]
    assert status == 0 and found == [("briefs/launch/campaign.yaml", 12, "overview"),
                                      ("briefs/launch/creators/ben.yaml", 11, "why_you.de"),
                                      ("briefs/launch/creators/ben.yaml", 11, "why_you.en")]


def test_a_large_workspace_checked_a_campaign_per_process_says_exactly_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From PARALLEL_FROM creator files, campaigns are read and checked in worker
    processes: the workspace and every diagnostic, in order, as one process finds them."""
    import shutil

    import briefkit.validate as validating
    from briefkit.load import load_workspace

    from .conftest import FIXTURES

    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "basic", root)
    for name in ("deals", "markets", "world"):  # more campaigns, each with its own kind of creators
        for campaign in (FIXTURES / name / "briefs").iterdir():
            shutil.copytree(campaign, root / "briefs" / campaign.name)
    # Mistakes of every stage: YAML, the model, a cross-field rule, a duplicate campaign id.
    edit(root / "briefs/launch/creators/ben.yaml", "region: US", "region: US\n  bad: [indent")
    edit(root / "briefs/tea/campaign.yaml", "respond_by: 2027-05-03", "respond_by: soon")
    campaign = root / "briefs/avena/campaign.yaml"
    campaign.write_text("id: matcha\n" + campaign.read_text())
    serial = validating.check_source(load_workspace(root))
    monkeypatch.setattr(validating, "PARALLEL_FROM", 0)
    monkeypatch.setattr(validating, "check_source", lambda source: pytest.fail("checked in this process"))
    parallel = validating.check_workspace(root)
    assert [d.code for d in serial[1]].count("duplicate") == 1 and any(d.is_error for d in serial[1])
    assert parallel == serial
