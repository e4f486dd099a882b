"""`briefkit serve`: build, serve the output folder on this machine, and rebuild
and reload open pages whenever a workspace file is saved.

The server answers only with files inside the output folder, and only requests
addressed to this machine (the Host header; against DNS rebinding). HTML pages get a
small script on the way out (never in the built files) that listens to
`/_briefkit/events` (server-sent events): `built` names the packets a rebuild
wrote, and a page whose packet is among them reloads; `errors` carries the
validation errors, which the page shows over the last good brief until the
files are fixed. Builds are incremental and run in this one process, so
WeasyPrint is imported once and a change to one creator renders one packet.
"""

from __future__ import annotations

import errno
import json
import mimetypes
import os
import queue
import re
import signal
import socket
import sys
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import jinja2
from babel import Locale

from .build import BuildReport, build, packet_folder
from .diagnostics import Diagnostic, UsageError, render_text, summary
from .load import load_workspace
from .model import handle_key, shown_handle
from .pdf import PdfProcess
from .render import Formats, csp_hash
from .resolve import CreatorBrief, resolve_workspace
from .team import TEAM_FOLDER
from .validate import SECRET_VARIABLE, check_source

EVENTS_PATH = "/_briefkit/events"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
KEEP_ALIVE_SECONDS = 15
SAVE_POLL_SECONDS = 0.05
# A client that went away (tab closed, download cancelled, page reloaded): not an error.
_HUNG_UP = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)
_PREVIEW = jinja2.Environment(loader=jinja2.PackageLoader("briefkit", "preview"), autoescape=True)
_LIVE_SCRIPT = (Path(__file__).parent / "preview" / "live.js").read_text(encoding="utf-8")
_CSP_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.I)


class ServeError(UsageError):
    """The server cannot start (the port is taken, the address is not this machine's)."""


@dataclass
class Hub:
    """What the open pages hear: one queue of events per page, and the current errors."""

    errors: str | None = None
    folders: list[str] = field(default_factory=list)  # every packet of the last good build
    warnings: list[Diagnostic] = field(default_factory=list)  # of the last good build
    generation: int = 0  # good builds so far: the preview index is made anew after each
    _queues: set[queue.Queue] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def subscribe(self) -> queue.Queue:
        listener: queue.Queue = queue.Queue()
        with self._lock:
            self._queues.add(listener)
            if self.errors is not None:
                listener.put(("errors", {"text": self.errors}))
        return listener

    def unsubscribe(self, listener: queue.Queue) -> None:
        with self._lock:
            self._queues.discard(listener)

    def built(self, report: BuildReport) -> None:
        with self._lock:
            self.errors = None
            self.folders = sorted(report.packets + report.unchanged)
            self.warnings = [d for d in report.diagnostics if not d.is_error]
            self.generation += 1
            self._publish("built", {"folders": report.packets})

    def failed(self, text: str) -> None:
        with self._lock:
            self.errors = text
            self._publish("errors", {"text": text})

    def _publish(self, event: str, data: dict) -> None:
        for listener in self._queues:
            listener.put((event, data))


def serve(root: Path, host: str, port: int, pdf: bool, jobs: int, open_browser: bool,
          say: Callable[[str], None]) -> None:
    """Build, then serve and rebuild until Ctrl-C or SIGTERM, which stop it the same way;
    SIGTERM lets a build under way finish first."""
    terminated: list[int] = []
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        return _serve(root, host, port, pdf, jobs, open_browser, say, terminated)
    previous = signal.signal(signal.SIGTERM, _sigterm_handler(os.getpid(), terminated))
    try:
        return _serve(root, host, port, pdf, jobs, open_browser, say, terminated)
    finally:
        if previous is not None:  # None: a handler not set from Python, which cannot be set again
            signal.signal(signal.SIGTERM, previous)


def _sigterm_handler(owner: int, terminated: list[int]) -> Callable[[int, Any], None]:
    """Notes SIGTERM for the serving loop, which then stops as after Ctrl-C. It raises no
    KeyboardInterrupt: one raised while a build closes its worker pool is lost (Python
    only prints it), and the server would go on."""

    def note(signum: int, frame: Any) -> None:
        if os.getpid() != owner:  # a build worker forked meanwhile: it ends as SIGTERM ends it
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        terminated.append(signum)  # no lock: this runs between any two steps of the main thread

    return note


def _serve(root: Path, host: str, port: int, pdf: bool, jobs: int, open_browser: bool,
           say: Callable[[str], None], terminated: list[int]) -> None:
    hub = Hub()
    ignored = _Ignored(root / "output")
    stop = threading.Event()
    saved: queue.Queue = queue.Queue()
    # Watching starts before the first build, so that no save is missed in between.
    threading.Thread(target=_watch, args=(root, ignored, stop, saved), daemon=True).start()
    report = _rebuild(root, pdf, jobs, hub, say)
    ignored.output = report.output
    _warm_up(root, report, pdf)
    server = _server(root, host, port, report.output, hub, pdf)
    url = f"http://{_url_host(host)}:{server.server_address[1]}/"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        say(f"serving {report.output} at {url} (Ctrl-C stops)")
        if host not in LOCAL_HOSTS:
            say(f"warning: serving on {host}: anyone who can reach this machine can read every brief, "
                "fees and codes included")
        if open_browser:
            webbrowser.open(url)
        while not terminated:
            try:
                saved.get(timeout=0.5)
            except queue.Empty:
                continue
            while not saved.empty():  # one build for a burst of saves
                saved.get_nowait()
            # Pages first, so that a save reaches the open page in the time of the HTML; the
            # PDFs after, unless another save came meanwhile (its pages go first again).
            first = _rebuild(root, False, jobs, hub, say, pdfs_follow=pdf)
            if pdf and not first.failed and first.packets and saved.empty():
                _rebuild_pdfs(root, jobs, hub, say, saved)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
    say("stopped")


class _Ignored:
    """watchfiles' usual filter (editor swap files, .git, caches), and the output folder."""

    def __init__(self, output: Path):
        import watchfiles

        self.default = watchfiles.DefaultFilter()
        self.output = output

    def __call__(self, change: Any, path: str) -> bool:
        return self.default(change, path) and not Path(path).is_relative_to(self.output)


def _watch(root: Path, ignored: _Ignored, stop: threading.Event, saved: queue.Queue) -> None:
    import watchfiles

    for changes in watchfiles.watch(root, watch_filter=ignored, stop_event=stop, raise_interrupt=False):
        saved.put(changes)


def _rebuild_pdfs(root: Path, jobs: int, hub: Hub, say: Callable[[str], None], saved: queue.Queue) -> None:
    """The PDFs of the pages just rebuilt. A save while they are made ends the build:
    its pages must not wait for PDFs of a brief that has changed again. A build writes
    nothing before every packet is rendered, so ending its PDF process (one packet's
    PDF; more are made by a pool, which is waited for) leaves the output as it was."""
    ended = threading.Event()
    with PdfProcess() as process:
        done = threading.Event()

        def end_on_save() -> None:
            while not done.wait(SAVE_POLL_SECONDS):
                if not saved.empty():
                    ended.set()
                    process.kill()
                    return

        threading.Thread(target=end_on_save, daemon=True).start()
        try:
            _rebuild(root, True, jobs, hub, say, pdf_process=process, ended=ended)
        finally:
            done.set()


def _rebuild(root: Path, pdf: bool, jobs: int, hub: Hub, say: Callable[[str], None],
             pdfs_follow: bool = False, pdf_process: PdfProcess | None = None,
             ended: threading.Event | None = None) -> BuildReport:
    """One incremental build; its errors go to the terminal and to the open pages. With
    `pdfs_follow` (pages now, their PDFs in the next build) older PDFs go unmentioned;
    when `ended` is set, its PDF process was ended on purpose and the build stops quietly."""
    try:
        report = build(root, pdf=pdf, jobs=jobs, pdf_process=pdf_process,
                       on_packet=lambda folder: say(f"  built {folder}"))
    except Exception as error:  # a bug must not stop the preview; the next save tries again
        if ended is not None and ended.is_set():
            say("  PDFs put off: saved again")
            return BuildReport(root / "output")
        hub.failed(f"briefkit: internal error ({type(error).__name__}: {error})")
        say(f"briefkit: internal error ({type(error).__name__}: {error}); still watching")
        return BuildReport(root / "output")
    if report.failed:
        text = render_text(report.diagnostics, root) + "\n" + summary(report.diagnostics)
        hub.failed(text)
        say(text + "\nstill serving the last good build; fix the files and save")
    else:
        hub.built(report)
        shown = [d for d in report.diagnostics if not (pdfs_follow and d.code == "stale")]
        if shown:
            say(render_text(shown, root))
        counts = [f"{n} {what}" for n, what in ((len(report.packets), "rebuilt"),
                                                   (len(report.unchanged), "unchanged")) if n]
        say("packets: " + ", ".join(counts))
    return report


def _warm_up(root: Path, report: BuildReport, pdf: bool) -> None:
    """Import and set WeasyPrint up in this process now (the first build used worker
    processes), so that the PDF processes forked from it for every save start with it."""
    from .render import Renderer
    from .theme import RenderError

    if not pdf or report.theme is None:
        return
    try:
        Renderer(root, report.theme, pdf=True).warm_up()
    except (RenderError, OSError):
        pass  # the next build reports it


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], _HUNG_UP):  # a client that hung up is no error
            super().handle_error(request, client_address)


def _server(root: Path, host: str, port: int, output: Path, hub: Hub, pdf: bool) -> ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"root": root, "output": output.resolve(), "hub": hub, "has_pdf": pdf,
                                            "bound_to": host})
    server_class = type("Server", (_Server,), {
        "address_family": socket.AF_INET6 if ":" in host else socket.AF_INET,
    })
    try:
        return server_class((host, port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} is in use; try another, e.g. --port {port + 1}") from None
        raise ServeError(f"cannot serve on {host}:{port}: {error.strerror}") from None


class _Handler(BaseHTTPRequestHandler):
    """Files of the output folder, the list of packets at `/`, and the event stream."""

    root: Path
    output: Path
    hub: Hub
    index_rows: tuple[int, dict[str, list[PreviewRow]]] = (-1, {})
    has_pdf: bool
    bound_to: str  # --host
    server_version = "briefkit"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def log_message(self, format: str, *args: object) -> None:  # the terminal is for the build
        pass

    def _answer(self, with_body: bool) -> None:
        if not self._for_this_machine():
            return self._send(b"Misdirected request: briefkit serve answers only requests for this machine "
                              b"(Host: localhost, 127.0.0.1, [::1] or the --host address)\n",
                              "text/plain; charset=utf-8", with_body, HTTPStatus.MISDIRECTED_REQUEST)
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            return self._events()
        if path == "/":
            return self._send(self._index().encode(), "text/html; charset=utf-8", with_body)
        found = served_file(self.output, path)
        if found is None:
            return self._send(b"Not found\n", "text/plain; charset=utf-8", with_body, HTTPStatus.NOT_FOUND)
        if found.is_dir():  # a packet folder without its slash: its relative links need one
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", "/" + quote(found.relative_to(self.output).as_posix()) + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        data = found.read_bytes()
        media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if media_type == "text/html":
            data = with_live_reload(data.decode("utf-8")).encode()
            media_type += "; charset=utf-8"
        return self._send(data, media_type, with_body)

    def _for_this_machine(self) -> bool:
        """Whether the request's one Host header names this server: localhost, 127.0.0.1,
        [::1], the --host address or the address the request came to (the machine's own,
        for a server on every address), with or without the port. A page of another site
        whose name was pointed at this machine (DNS rebinding) sends its own name."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1:
            return False
        arrived_at = self.connection.getsockname()[0].removeprefix("::ffff:")  # IPv4 on an IPv6 socket
        names = {"127.0.0.1", "localhost", "[::1]", _url_host(self.bound_to.lower()), _url_host(arrived_at)}
        port = self.server.server_address[1]
        return hosts[0].strip().lower() in names | {f"{name}:{port}" for name in names}

    def _send(self, data: bytes, media_type: str, with_body: bool, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def _index(self) -> str:
        generation, rows = self.index_rows
        if generation != self.hub.generation:
            generation = self.hub.generation
            rows = preview_rows(self.root, set(self.hub.folders), self.hub.warnings)
            type(self).index_rows = (generation, rows)
        page = _PREVIEW.get_template("index.html").render(
            output=str(self.output), campaigns=rows, has_pdf=self.has_pdf,
            team=(self.output / TEAM_FOLDER / "index.html").is_file())
        return with_live_reload(page)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        listener = self.hub.subscribe()
        try:
            while True:
                try:
                    event, data = listener.get(timeout=KEEP_ALIVE_SECONDS)
                    message = f"event: {event}\ndata: {json.dumps(data)}\n\n"
                except queue.Empty:
                    message = ": still here\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
        except _HUNG_UP:
            pass  # the page was closed or reloaded
        finally:
            self.hub.unsubscribe(listener)


@dataclass(frozen=True)
class PreviewRow:
    """One creator in the preview index, in English like the team overview."""

    folder: str | None  # the packet, when the last build has it
    name: str
    handle: str  # with @
    country: str
    offer: list[str]
    deliverables: list[str]
    warnings: list[Diagnostic]


def preview_rows(root: Path, folders: set[str], warnings: list[Diagnostic]) -> dict[str, list[PreviewRow]]:
    """Every creator of the workspace by campaign title: who, where, their offer and
    deliverables, and the last build's warnings about them (in their file, or naming
    them). Empty while the workspace does not validate."""
    source = load_workspace(root)
    workspace, problems = check_source(source)
    if any(d.is_error for d in problems):
        return {}
    # A creator written in a file of their own (not inline in campaign.yaml, whose
    # warnings are about everyone) by campaign and handle.
    files = {(campaign.id, handle_key(str(creator.data.get("handle", "")))): file
             for campaign in source.campaigns for creator in campaign.creators
             if (file := creator.locate(()).file).startswith(f"{campaign.folder}/creators/")}
    secret = os.environ.get(SECRET_VARIABLE, "") if workspace.settings.private_links else ""
    english = Locale("en")
    rows: dict[str, list[PreviewRow]] = {}
    for brief in resolve_workspace(workspace):
        handle = shown_handle(brief.creator.handle)
        file = files.get((brief.campaign_id, handle_key(brief.creator.handle)))
        about = [d for d in warnings if d.location.file == file
                 or re.search(re.escape(handle) + r"(?![\w.-])", d.message)]
        folder = packet_folder(brief, secret)
        rows.setdefault(brief.title, []).append(PreviewRow(
            folder if folder in folders else None, brief.creator.name, handle,
            english.territories.get(brief.creator.region, brief.creator.region),
            offer_summary(brief), [f"{d.count} × {d.platform} {d.format}" for d in brief.deliverables], about))
    return rows


def offer_summary(brief: CreatorBrief) -> list[str]:
    """The creator's offer in a few English words, amounts the English way."""
    offer = brief.offer
    money = Formats(Locale("en"), brief.campaign_timezone, brief.campaign_timezone).money
    product = offer.product
    return [text for text in (
        f"{money(offer.fee)} fee" if offer.fee else None,
        f"{offer.commission_percent:g}% commission" if offer.commission_percent is not None else None,
        (f"{product.name} ({money(product.value)})" if product.value else product.name) if product else None,
    ) if text]


def served_file(output: Path, url_path: str) -> Path | None:
    """The file (or folder) in `output` that `url_path` names, or None for anything else:
    `..`, encoded slashes or backslashes, hidden files, links out of the folder."""
    try:
        steps = [unquote(step, errors="strict") for step in url_path.split("/")]
    except UnicodeDecodeError:
        return None
    for step in steps:
        if step in (".", "..") or step.startswith(".") or any(c in step for c in "/\\\x00"):
            return None
    candidate = output.joinpath(*[s for s in steps if s])
    if url_path.endswith("/"):
        candidate = candidate / "index.html"
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(output):
        return None
    return resolved if resolved.is_file() or resolved.is_dir() else None


def with_live_reload(page: str) -> str:
    """`page` with the live-reload script, and its Content-Security-Policy widened by
    exactly that script's hash and connections back to this server."""
    script_hash = csp_hash(_LIVE_SCRIPT)

    def widened(match: re.Match) -> str:
        directives = [d.strip() for d in match.group(2).split(";") if d.strip()]
        names = [d.split()[0].lower() for d in directives]
        if "script-src" in names:
            index = names.index("script-src")
            sources = [s for s in directives[index].split()[1:] if s != "'none'"]
            directives[index] = " ".join(["script-src", f"'{script_hash}'", *sources])
        else:
            directives.append(f"script-src '{script_hash}'")
        if "connect-src" not in names:
            directives.append("connect-src 'self'")
        return match.group(1) + "; ".join(directives) + match.group(3)

    page = _CSP_META.sub(widened, page, count=1)
    tag = _PREVIEW.get_template("live.html").render(script=_LIVE_SCRIPT)
    index = page.lower().rfind("</body>")
    return page[:index] + tag + page[index:] if index >= 0 else page + tag
