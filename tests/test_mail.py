"""`briefkit mail`: drafts that parse and stay identical, and sending to a real SMTP server
(aiosmtpd on 127.0.0.1, with STARTTLS and AUTH) that records what it received."""

from __future__ import annotations

import csv
import email
import io
import socket
import ssl
import subprocess
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml

from .conftest import FIXTURES, edit, run_briefkit

CAMPAIGN = "briefs/launch/campaign.yaml"
BEN = "briefs/launch/creators/ben.yaml"
PASSWORD = "s3cret-for-tests"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """The basic workspace with e-mail addresses, a manager for Ben and a base_url."""
    import shutil

    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "basic", root)
    edit(root / CAMPAIGN, "    name: Klara Schmidt\n", "    name: Klara Schmidt\n    email: klara@example.com\n")
    edit(root / BEN, "region: US\n", "region: US\nemail: ben@example.com\n"
                                     "manager: {name: Brew Talent, email: agent@talent.example}\n")
    (root / "briefkit.yaml").write_text((root / "briefkit.yaml").read_text() + "base_url: https://briefs.example.com/\n")
    return root


def drafts(root: Path) -> dict[str, EmailMessage]:
    folder = root / "output/_mail/launch"
    return {path.stem: email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(folder.glob("*.eml"))}


def test_drafts_parse_open_as_drafts_carry_the_packet_and_stay_identical(workspace: Path) -> None:
    result = run_briefkit("mail", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 drafts in ") and "/output/_mail/ (open a .eml file" in result.stdout
    found = drafts(workspace)
    assert sorted(found) == ["ben-brews", "kaffee-klara"]
    ben, klara = found["ben-brews"], found["kaffee-klara"]
    assert ben["X-Unsent"] == "1" and "Date" not in ben
    assert (ben["To"], ben["Cc"], ben["Reply-To"]) == ("Ben Carter <ben@example.com>",
                                                        "Brew Talent <agent@talent.example>",
                                                        "Jonas Weber <jonas@haferhof.example>")
    assert ben["Subject"] == "Haferhof × Oat Drink Launch: your brief (please reply by Thu, Apr 1, 2027)"
    assert klara["Subject"] == "Haferhof × Oat Drink Launch: dein Briefing (bitte antworte bis Do., 1. Apr. 2027)"
    assert klara.get_body(("plain",)).get_content().startswith("Hallo Klara Schmidt,")
    assert klara["Content-Language"] == "de-DE" and "Cc" not in klara
    for slug, message in found.items():
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        link = f"https://briefs.example.com/launch/{slug}/"
        assert link in text and f'href="{link}"' in html
        packet = workspace / "output/launch" / slug
        attached = {part.get_filename(): part.get_payload(decode=True) for part in message.iter_attachments()}
        assert attached == {name: (packet / name).read_bytes() for name in ("brief.pdf", "calendar.ics")}
        assert "INTERNAL-CANARY" not in message.as_string()
    assert "€300.00 fee" in ben.get_body(("plain",)).get_content() and "€300.00 fee" in ben.get_body(("html",)).get_content()
    first = {path.name: path.read_bytes() for path in (workspace / "output/_mail").rglob("*") if path.is_file()}
    assert run_briefkit("mail", "--workspace", str(workspace)).returncode == 0
    again = {path.name: path.read_bytes() for path in (workspace / "output/_mail").rglob("*") if path.is_file()}
    assert again == first
    rows = list(csv.DictReader(io.StringIO(first["mailmerge.csv"].decode("utf-8-sig"))))
    assert [(r["email"], r["cc"], r["link"], r["pdf"]) for r in rows] == [
        ("klara@example.com", "", "https://briefs.example.com/launch/kaffee-klara/",
         "output/launch/kaffee-klara/brief.pdf"),
        ("ben@example.com", "agent@talent.example", "https://briefs.example.com/launch/ben-brews/",
         "output/launch/ben-brews/brief.pdf")]
    # A full build leaves the drafts alone: `mail` answers for them.
    assert run_briefkit("build", "--workspace", str(workspace)).returncode == 0
    assert {p.name for p in (workspace / "output/_mail").rglob("*.eml")} == {"ben-brews.eml", "kaffee-klara.eml"}


def test_a_creator_without_email_is_an_error_at_their_handle(workspace: Path) -> None:
    edit(workspace / CAMPAIGN, "    email: klara@example.com\n", "")
    result = run_briefkit("mail", "--workspace", str(workspace))
    assert result.returncode == 1
    assert "briefs/launch/campaign.yaml:41:13: error: @kaffee.klara has no `email`" in result.stderr
    assert not (workspace / "output/_mail").exists()


# --- a real SMTP server ------------------------------------------------------------


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate for 127.0.0.1, made with openssl."""
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    return folder


class Mailbox:
    """What the server accepted; refuses RCPT for the addresses in `refuse`."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()
        self.logins: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802 (aiosmtpd's name)
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def by_recipient(self) -> dict[str, list[EmailMessage]]:
        found: dict[str, list[EmailMessage]] = {}
        for recipients, message in self.messages:
            found.setdefault(recipients[0], []).append(message)
        return found


@pytest.fixture
def smtp(workspace: Path, certificate: Path, monkeypatch: pytest.MonkeyPatch):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    mailbox = Mailbox()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")

    def authenticate(server, session, envelope, mechanism, data):
        mailbox.logins.append(data.login.decode())
        return AuthResult(success=data.login == b"brand" and data.password == PASSWORD.encode(), handled=False)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticate, auth_required=True, ready_timeout=10)
    controller.start()
    (workspace / "briefkit.yaml").write_text((workspace / "briefkit.yaml").read_text() + (
        f"mail: {{from: briefs@haferhof.example, host: 127.0.0.1, port: {port}, security: starttls, "
        "username: brand, rate_per_minute: 600}\n"))
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate / "cert.pem"))  # the client trusts this server
    monkeypatch.setenv("BRIEFKIT_SMTP_PASSWORD", PASSWORD)
    yield mailbox
    controller.stop()


def test_send_delivers_one_message_per_creator_and_records_it(workspace: Path, smtp: Mailbox) -> None:
    result = run_briefkit("mail", "--send", "--workspace", str(workspace))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "2 sent"
    received = smtp.by_recipient()
    assert sorted(received) == ["ben@example.com", "klara@example.com"]
    assert [r for r, _ in smtp.messages if r[0] == "ben@example.com"] == [["ben@example.com", "agent@talent.example"]]
    ben = received["ben@example.com"][0]
    assert "X-Unsent" not in ben and ben["Date"] and ben["From"] == "Jonas Weber <briefs@haferhof.example>"
    assert ben["Cc"] == "Brew Talent <agent@talent.example>"
    assert ben["Subject"] == "Haferhof × Oat Drink Launch: your brief (please reply by Thu, Apr 1, 2027)"
    assert "https://briefs.example.com/launch/ben-brews/" in ben.get_body(("plain",)).get_content()
    attached = {part.get_filename(): part.get_content() for part in ben.iter_attachments()}
    assert attached["brief.pdf"] == (workspace / "output/launch/ben-brews/brief.pdf").read_bytes()
    assert smtp.logins == ["brand"]
    ledger = yaml.safe_load((workspace / "briefs/launch/sent.yaml").read_text())
    assert [(e["handle"], e["message_id"]) for e in ledger] == [
        ("@kaffee.klara", received["klara@example.com"][0]["Message-ID"]),
        ("@ben.brews", ben["Message-ID"])]
    # Sent already for this version: nothing goes out again, unless --force.
    again = run_briefkit("mail", "--send", "--workspace", str(workspace))
    assert again.returncode == 0 and again.stdout.splitlines()[-1] == "0 sent, 2 sent before (--force sends again)"
    assert len(smtp.messages) == 2
    status = run_briefkit("status", "--format", "json", "--workspace", str(workspace))
    sent = {c["handle"]: c["sent"] for c in __import__("json").loads(status.stdout)["campaigns"][0]["creators"]}
    assert sent["@ben.brews"]["version"] == ledger[1]["version"]


def test_a_run_stopped_half_way_sends_each_creator_once_in_total(workspace: Path, smtp: Mailbox) -> None:
    from briefkit.build import Selection
    from briefkit.mail import make_drafts, send

    report = make_drafts(workspace, Selection())

    def stop_after_first(draft) -> None:
        raise KeyboardInterrupt  # as if the run were killed right after the first message was recorded

    with pytest.raises(KeyboardInterrupt):
        send(report.drafts, report.settings, on_message=stop_after_first)
    assert len(smtp.messages) == 1
    resumed = run_briefkit("mail", "--send", "--workspace", str(workspace))
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.splitlines()[-1] == "1 sent, 1 sent before (--force sends again)"
    assert {r: len(m) for r, m in smtp.by_recipient().items()} == {"klara@example.com": 1, "ben@example.com": 1}


def test_a_refused_recipient_is_reported_and_the_others_still_go(workspace: Path, smtp: Mailbox) -> None:
    smtp.refuse.add("klara@example.com")
    result = run_briefkit("mail", "--send", "--workspace", str(workspace))
    assert result.returncode == 1
    assert "not sent to @kaffee.klara: klara@example.com: 550 5.1.1 no such mailbox" in result.stderr
    assert sorted(smtp.by_recipient()) == ["ben@example.com"]
    assert [e["handle"] for e in yaml.safe_load((workspace / "briefs/launch/sent.yaml").read_text())] == ["@ben.brews"]


def test_a_wrong_password_or_none_is_a_usage_error(workspace: Path, smtp: Mailbox,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFKIT_SMTP_PASSWORD", "wrong")
    result = run_briefkit("mail", "--send", "--workspace", str(workspace))
    assert result.returncode == 2 and "refused the login 'brand'" in result.stderr
    monkeypatch.delenv("BRIEFKIT_SMTP_PASSWORD")
    result = run_briefkit("mail", "--send", "--workspace", str(workspace))
    assert result.returncode == 2 and "BRIEFKIT_SMTP_PASSWORD" in result.stderr
    assert smtp.messages == []


def test_the_rate_limit_spaces_messages_out() -> None:
    from briefkit.mail import Pacer

    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    pacer = Pacer(per_minute=4, clock=lambda: now[0], sleep=sleep)
    for spent in (0.0, 5.0, 20.0, 0.0):  # time the message itself took before the next one
        pacer.wait()
        now[0] += spent
    # 4 a minute: 15 s apart. The second waits 15 s, the third 15 - 5 = 10 s, the fourth
    # comes 20 s after the third and need not wait.
    assert slept == [15.0, 10.0]


def test_sending_waits_between_messages_as_the_rate_says(workspace: Path, smtp: Mailbox) -> None:
    from briefkit.build import Selection
    from briefkit.mail import Pacer, make_drafts, send

    report = make_drafts(workspace, Selection())
    slept: list[float] = []
    pacer = Pacer(per_minute=2, clock=lambda: 0.0, sleep=slept.append)  # no time passes between messages
    sent = send(report.drafts, report.settings, pacer=pacer)
    assert sent.sent == ["@kaffee.klara", "@ben.brews"] and slept == [30.0]
    assert len(smtp.messages) == 2


def test_the_ledger_names_the_commit_sent_and_respond_takes_it(workspace: Path, smtp: Mailbox) -> None:
    from .conftest import git

    git(workspace, "init", "-q")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "briefs")
    sent_commit = git(workspace, "rev-parse", "--short=12", "HEAD").strip()
    assert run_briefkit("mail", "--send", "--workspace", str(workspace)).returncode == 0
    ledger = yaml.safe_load((workspace / "briefs/launch/sent.yaml").read_text())
    assert {e["revision"] for e in ledger} == {sent_commit}
    git(workspace, "add", "-A")
    git(workspace, "commit", "-q", "-m", "sent")  # a later commit: the answer is still to what was sent
    result = run_briefkit("respond", "ben.brews", "accepted", "--campaign", "launch", "--workspace", str(workspace))
    assert result.returncode == 0 and f"(revision {sent_commit})" in result.stdout
    # Uncommitted changes: the ledger cannot name what was sent, and mail says so.
    edit(workspace / CAMPAIGN, "  fee: 300\n", "  fee: 310\n")
    result = run_briefkit("mail", "--send", "--workspace", str(workspace))
    assert "changes that are not committed" in result.stderr
    assert "revision" not in yaml.safe_load((workspace / "briefs/launch/sent.yaml").read_text())[-1]
