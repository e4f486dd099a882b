"""`briefkit mail`: the e-mail that brings each creator their brief (docs/mail.md).

First the packets are built (incrementally), so that a draft attaches exactly the
packet's `brief.pdf` and `calendar.ics`. Then one RFC 5322 message per creator is made
with the standard library's `email` package, in the creator's language (the words come
from the theme's `mail/` templates through `render.Renderer.mail`), and written to
`output/_mail/<campaign>/<slug>.eml` as a draft (`X-Unsent: 1`, no Date), with
`output/_mail/mailmerge.csv` beside them. Drafts are deterministic: the Message-ID and
the MIME boundaries come from the brief's version.

`--send` sends them over SMTP (`send`): only what was not sent for the brief's version
yet, at most `rate_per_minute`, each message recorded in the campaign's `sent.yaml` as
soon as the server accepted it (so an interrupted run never sends twice).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import os
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path

import yaml

from .answers import AnsweredBriefs, with_answer
from .build import Selection, build, packet_folder
from .diagnostics import Diagnostic, Location, UsageError, error, warning
from .fingerprint import FileDigests
from .ics import CALENDAR_NAME
from .ledger import SENT_FILE, Sent, last_sent, read_sent
from .load import load_workspace
from .model import Creator, MailSettings, handle_key, shown_handle
from .render import PDF_NAME, Renderer
from .resolve import CreatorBrief, resolve_creator
from .revisions import SHORT_COMMIT, Repository, RevisionError
from .theme import RenderError, load_theme
from .validate import SECRET_VARIABLE, check_source
from .write import OutputRefused, OutputWriter, write_atomically

MAIL_FOLDER = "_mail"
MERGE_FILE = "mailmerge.csv"
ATTACHMENT_LIMIT = 10 * 1024 * 1024  # above this, mail servers and inboxes refuse messages
PASSWORD_VARIABLE = "BRIEFKIT_SMTP_PASSWORD"


@dataclass(frozen=True)
class Draft:
    campaign_id: str
    handle: str  # with @
    version: str
    revision: str | None  # the git commit the brief was built from, for the ledger
    ledger: Path  # the campaign's sent.yaml
    name: str  # the draft's path in the output folder
    message: EmailMessage
    recipients: list[str]  # To and Cc addresses
    link: str | None  # the creator's page, under `base_url`
    pdf: str  # the packet's PDF, as the workspace's mail-merge file names it


@dataclass
class MailReport:
    output: Path
    settings: MailSettings
    drafts: list[Draft] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def make_drafts(root: Path, selection: Selection = Selection(), jobs: int = 1) -> MailReport:
    """Build the selected packets, then write a draft per creator who has not declined,
    and the mail-merge file."""
    built = build(root, selection, jobs=jobs)
    source = load_workspace(root)
    workspace, _ = check_source(source)
    report = MailReport(built.output, workspace.settings.mail, diagnostics=list(built.diagnostics))
    if built.failed:
        return report
    output = built.output
    secret = os.environ.get(SECRET_VARIABLE, "") if workspace.settings.private_links else ""
    settings, base_url = workspace.settings.mail, workspace.settings.base_url
    theme = load_theme(root, workspace.settings.theme)
    renderer = Renderer(root, theme, pdf=False)
    digest, answered = FileDigests(root), AnsweredBriefs(root)
    folders = {c.id: c.folder for c in source.campaigns}
    places = {(c.id, handle_key(str(creator.data.get("handle", "")))): creator.locate(("handle",))
              for c in source.campaigns for creator in c.creators}
    revision = _sent_revision(root, report.diagnostics)
    if base_url is None:
        report.diagnostics.append(warning(Location("briefkit.yaml", 0), "the e-mails have no link to the "
                                          "creators' pages: the workspace has no `base_url`",
                                          "set `base_url:` in briefkit.yaml to the address output/ is "
                                          "published at (docs/publishing.md)", "mail"))
    for campaign in workspace.campaigns:
        for creator in campaign.creators:
            if not selection.picks(campaign.id, creator.handle):
                continue
            brief = with_answer(resolve_creator(campaign, creator, credit=workspace.settings.credit),
                                digest, answered)
            if brief.answer and brief.answer.status == "declined":
                continue
            if creator.email is None:
                report.diagnostics.append(error(
                    places[campaign.id, handle_key(creator.handle)],
                    f"{shown_handle(creator.handle)} has no `email`, so briefkit cannot write them",
                    "add `email:` to the creator, or leave them out with --creator", "email"))
                continue
            packet = packet_folder(brief, secret)
            link = f"{base_url.rstrip('/')}/{packet}/" if base_url else None
            pdf = output / packet / PDF_NAME
            shown_pdf = pdf.relative_to(root).as_posix() if pdf.is_relative_to(root) else pdf.as_posix()
            try:
                draft = _draft(renderer, brief, creator, settings, output / packet, link, revision,
                               root / folders[campaign.id] / SENT_FILE, shown_pdf, report.diagnostics)
            except RenderError as failed:  # the theme's mail templates
                report.diagnostics.append(failed.diagnostic)
                return report
            report.drafts.append(draft)
    report.diagnostics += answered.problems
    if report.failed:
        return report
    _write_drafts(output, selection, report)
    return report


def _sent_revision(root: Path, problems: list[Diagnostic]) -> str | None:
    """The commit the briefs are built from, for the ledger: HEAD, when the workspace's
    files are as committed; else none, with a warning (the answer to a brief that exists
    in no commit cannot be compared later)."""
    repository = Repository.of(root)
    if repository is None:
        return None
    if repository.has_changes():
        problems.append(warning(Location("briefs", 0), "the workspace has changes that are not committed: "
                                "sent.yaml will not say which revision each creator was sent",
                                "commit the briefs before you send them, so that answers can be compared "
                                "with what was sent (docs/answers.md)", "mail"))
        return None
    try:
        head = repository.revision("HEAD").commit
    except RevisionError:  # no commit yet
        return None
    return head[:SHORT_COMMIT] if head else None


def _draft(renderer: Renderer, brief: CreatorBrief, creator: Creator, settings: MailSettings, packet: Path,
           link: str | None, revision: str | None, ledger: Path, pdf: str, problems: list[Diagnostic]) -> Draft:
    files = {name: (packet / name).read_bytes() for name in (PDF_NAME, CALENDAR_NAME)}
    attached = sum(map(len, files.values())) <= ATTACHMENT_LIMIT
    if not attached:
        problems.append(warning(Location(f"{packet.parent.name}/{packet.name}", 0),
                                f"{shown_handle(creator.handle)}'s PDF and calendar are over 10 MB together: "
                                "the e-mail links to their page instead of attaching them",
                                "make the logo and assets smaller", "mail"))
    texts = renderer.mail(brief, link, attached)
    contact = brief.contact
    sender = settings.sender or contact.email
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = formataddr((contact.name, sender))
    message["Reply-To"] = formataddr((contact.name, contact.email))
    message["To"] = formataddr((creator.name, creator.email or ""))
    recipients = [creator.email or ""]
    if creator.manager is not None:
        message["Cc"] = formataddr((creator.manager.name or "", creator.manager.email))
        recipients.append(creator.manager.email)
    message["Subject"] = texts.subject
    domain = sender.rpartition("@")[2]
    message["Message-ID"] = f"<briefkit.{brief.campaign_id}.{brief.creator.slug}.{brief.version}@{domain}>"
    message["X-Unsent"] = "1"
    message.set_content(texts.text)
    message.add_alternative(texts.html, subtype="html")
    if attached:
        message.add_attachment(files[PDF_NAME], maintype="application", subtype="pdf", filename=PDF_NAME)
        message.add_attachment(files[CALENDAR_NAME], maintype="text", subtype="calendar", filename=CALENDAR_NAME,
                               params={"method": "PUBLISH"})
    message["Content-Language"] = texts.language  # last: making parts moves Content- headers into them
    for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"=_briefkit_{brief.version}_{number}")  # not random: drafts stay identical
    return Draft(brief.campaign_id, shown_handle(creator.handle), brief.version, revision, ledger,
                 f"{MAIL_FOLDER}/{brief.campaign_id}/{brief.creator.slug}.eml", message, recipients, link, pdf)


def _write_drafts(output: Path, selection: Selection, report: MailReport) -> None:
    """The drafts and the mail-merge file, through the output writer: drafts of creators
    who are gone are pruned, and nothing of the user's is overwritten."""
    owned = f"{MAIL_FOLDER}/{selection.campaign}/" if selection.campaign else f"{MAIL_FOLDER}/"
    writer = OutputWriter(output, owns=lambda name: name.startswith(owned) and selection.creator is None)
    try:
        with writer:
            for draft in report.drafts:
                writer.write(draft.name, draft.message.as_bytes())
            if selection == Selection():
                writer.write(f"{MAIL_FOLDER}/{MERGE_FILE}", merge_file(report.drafts))
    except OutputRefused as refused:
        report.diagnostics.append(error(Location(f"{output.name}/{refused.path}", 0), refused.message,
                                        refused.hint, "output"))


def merge_file(drafts: list[Draft]) -> bytes:
    """mailmerge.csv: a row per draft for mail-merge tools (UTF-8 with a BOM, for Excel)."""
    text = io.StringIO()
    table = csv.writer(text, lineterminator="\r\n")
    table.writerow(["email", "cc", "name", "language", "subject", "link", "pdf"])
    for draft in drafts:
        message = draft.message
        table.writerow([draft.recipients[0], ",".join(draft.recipients[1:]), parseaddr(str(message["To"]))[0],
                        message["Content-Language"], str(message["Subject"]), draft.link or "", draft.pdf])
    return "\ufeff".encode() + text.getvalue().encode("utf-8")


# --- sending ---------------------------------------------------------------------


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)  # handles
    skipped: list[str] = field(default_factory=list)  # already sent for this version
    failed: list[tuple[str, str]] = field(default_factory=list)  # handle, why


class Pacer:
    """At most `per_minute` messages a minute: waits before a message that would be too soon.
    `clock` and `sleep` are injected so that tests need not wait."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.gap, self.clock, self.sleep = 60.0 / per_minute, clock, sleep
        self.last: float | None = None

    def wait(self) -> None:
        if self.last is not None:
            due = self.last + self.gap
            if (now := self.clock()) < due:
                self.sleep(due - now)
        self.last = self.clock()


def send(drafts: list[Draft], settings: MailSettings, force: bool = False, pacer: Pacer | None = None,
         on_message: Callable[[Draft], None] = lambda draft: None,
         moment: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)) -> SendReport:
    """Send what has not been sent for its brief's version (all with `force`), recording each
    message in its campaign's sent.yaml right after the server accepted it."""
    if settings.host is None:
        raise UsageError("briefkit.yaml has no `mail: {host: …}`: where should the e-mails go? "
                         "(docs/mail.md)", option="--send")
    password = os.environ.get(PASSWORD_VARIABLE)
    if settings.username and not password:
        raise UsageError(f"set the SMTP password in the environment variable {PASSWORD_VARIABLE} "
                         "(never in a file)", option="--send")
    report = SendReport()
    ledgers = {path: read_sent(path) for path in {draft.ledger for draft in drafts}}  # read once each
    todo = []
    for draft in drafts:
        sent = last_sent(ledgers[draft.ledger], draft.handle)
        if not force and sent is not None and sent.version == draft.version:
            report.skipped.append(draft.handle)
        else:
            todo.append(draft)
    if not todo:
        return report
    pacer = pacer or Pacer(settings.rate_per_minute)
    with _connect(settings, password) as server:
        for draft in todo:
            pacer.wait()
            message = _outgoing(draft.message, moment())
            try:
                refused = server.send_message(message, from_addr=settings.sender or None,
                                              to_addrs=draft.recipients)
            except smtplib.SMTPRecipientsRefused as error:
                report.failed.append((draft.handle, _refusal(error.recipients)))
                continue
            except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
                report.failed.append((draft.handle, f"{error.smtp_code} {_text(error.smtp_error)}"))
                continue
            if draft.recipients[0] in refused:
                report.failed.append((draft.handle, _refusal(refused)))
                continue
            _record(draft, message, moment(), ledgers[draft.ledger])
            report.sent.append(draft.handle)
            on_message(draft)
    return report


def _connect(settings: MailSettings, password: str | None) -> smtplib.SMTP:
    context = ssl.create_default_context()
    host = settings.host or ""
    try:
        if settings.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(host, settings.port, context=context, timeout=60)
        else:
            server = smtplib.SMTP(host, settings.port, timeout=60)
            if settings.security == "starttls":
                server.starttls(context=context)
        if settings.username:
            server.login(settings.username, password or "")
    except smtplib.SMTPAuthenticationError as refused:
        raise UsageError(f"the SMTP server {host} refused the login {settings.username!r}: "
                         f"{_text(refused.smtp_error)}", option="--send") from None
    except (OSError, smtplib.SMTPException) as failed:
        raise UsageError(f"cannot reach the SMTP server {host}:{settings.port} ({settings.security}): "
                         f"{failed}", option="--send") from None
    return server


def _outgoing(draft: EmailMessage, moment: dt.datetime) -> EmailMessage:
    """The message as sent: no longer a draft, and dated."""
    message = copy.deepcopy(draft)
    del message["X-Unsent"]
    message["Date"] = format_datetime(moment)
    return message


def _record(draft: Draft, message: EmailMessage, moment: dt.datetime, entries: list[Sent]) -> None:
    """Add the sent message to its campaign's ledger (`entries`, as read) and replace its
    sent.yaml with it, atomically."""
    entries.append(Sent(draft.handle, draft.version, draft.revision, moment.replace(microsecond=0),
                        str(message["Message-ID"])))
    data = [{"handle": e.handle, "version": e.version, **({"revision": e.revision} if e.revision else {}),
             "at": e.at.isoformat(), "message_id": e.message_id} for e in entries]
    text = ("# What `briefkit mail --send` sent: briefkit adds to it, `status` and `respond` read it.\n"
            + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    write_atomically(draft.ledger, text.encode("utf-8"))


def _refusal(recipients: dict) -> str:
    return "; ".join(f"{address}: {code} {_text(reason)}" for address, (code, reason) in recipients.items())


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
