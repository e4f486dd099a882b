"""`briefkit serve` as a brand manager uses it: a real server process, a real
browser, YAML edited on disk; and the server refusing everything outside output/."""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from .conftest import CHROMIUM, CHROMIUM_FLAGS, FIXTURES, edit, pdf_text

CAMPAIGN = "briefs/launch/campaign.yaml"
# What a user waits for at most: generous, so that a busy machine passes; how fast
# a save reaches the page is measured in benchmarks/bench_serve.py, not asserted here.
PATIENCE_MS = 30_000


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    root: Path
    lines: queue.Queue
    ended: threading.Event = field(default_factory=threading.Event)  # its output read to the end

    def output_until(self, text: str, timeout: float = 30) -> list[str]:
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            seen.append(line)
            if text in line:
                return seen
        raise AssertionError(f"{text!r} not printed; got {seen}")

    def get(self, path: str, method: str = "GET", host: str | None = "") -> http.client.HTTPResponse:
        """`host`: the Host header to send instead of the server's address; None sends none."""
        address, port = self.url.removeprefix("http://").rstrip("/").rsplit(":", 1)
        connection = http.client.HTTPConnection(address, int(port), timeout=10)
        connection.putrequest(method, path, skip_host=host != "",
                              skip_accept_encoding=True)  # sent as written: no cleaning
        if host:
            connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse()


def start(root: Path, *args: str) -> Server:
    process = subprocess.Popen([sys.executable, "-m", "briefkit", "serve", "--port", "0", *args,
                                "--workspace", str(root)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True,
                               # Ctrl-C works as for a user even when the tests run in the
                               # background (`&`), whose children start with SIGINT ignored.
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: queue.Queue = queue.Queue()
    server = Server(process, "", root, lines)

    def read() -> None:
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        server.ended.set()

    threading.Thread(target=read, daemon=True).start()
    ready = server.output_until("serving ", timeout=60)[-1]
    server.url = ready.split(" at ")[1].split()[0]
    return server


def stop(server: Server) -> int:
    server.process.send_signal(signal.SIGINT)
    return server.process.wait(timeout=30)


def printed_to_the_end(server: Server) -> list[str]:
    """What the ended server printed (standard output and error) that no `output_until` read."""
    assert server.ended.wait(timeout=30), "the server's output did not end"
    printed = []
    while not server.lines.empty():
        printed.append(server.lines.get_nowait())
    return printed


def stopped_at_the_end(server: Server) -> None:
    if server.process.poll() is None:
        try:
            stop(server)  # as a user would, so that it cleans up after itself
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)


@pytest.fixture
def served(workspace: Path) -> Iterator[Server]:
    """A server of its own, for a test that edits the workspace or stops the server."""
    server = start(workspace)
    yield server
    stopped_at_the_end(server)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that only read what it serves; it has a symlink out
    of its output folder, planted as an attacker would."""
    root = tmp_path_factory.mktemp("shared") / "ws"
    shutil.copytree(FIXTURES / "basic", root)
    server = start(root)
    (root / "output/out-link").symlink_to("/etc")
    yield server
    stopped_at_the_end(server)


def test_a_saved_fee_shows_in_the_open_page_and_errors_show_over_it(served: Server) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        console_errors: list[str] = []
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.goto(served.url + "launch/kaffee-klara/")
        body = page.locator("body")
        expect(body).to_contain_text("350,00 €")  # Klara reads German
        page.wait_for_timeout(300)  # the page's event stream is connected

        edit(served.root / CAMPAIGN, "    fee: 350\n", "    fee: 380\n")
        expect(body).to_contain_text("380,00 €", timeout=PATIENCE_MS)  # no reload by hand
        # The page came first; its PDF follows, and the page links it once it is the new one.
        expect(page.locator('a[href="brief.pdf"]')).to_have_count(1, timeout=PATIENCE_MS)
        assert "380,00 €" in pdf_text(served.root / "output/launch/kaffee-klara/brief.pdf")

        edit(served.root / CAMPAIGN, "    fee: 380\n", "    fee: [380\n")
        overlay = page.locator("#briefkit-errors")
        expect(overlay).to_be_visible(timeout=PATIENCE_MS)
        expect(overlay).to_contain_text("briefs/launch/campaign.yaml:")
        expect(overlay).to_contain_text("The campaign files have errors")
        expect(page.locator("main")).to_contain_text("380,00 €")  # the last good brief behind it

        edit(served.root / CAMPAIGN, "    fee: [380\n", "    fee: 400\n")
        expect(body).to_contain_text("400,00 €", timeout=PATIENCE_MS)
        expect(overlay).to_have_count(0)
        assert console_errors == []  # the live script ran under the page's policy
        browser.close()
    served.output_until("rebuilt")
    assert stop(served) == 0
    assert "stopped" in served.output_until("stopped")[-1]


def test_errors_go_to_the_terminal_and_the_last_good_output_stays(served: Server) -> None:
    page = served.root / "output/launch/kaffee-klara/index.html"
    before = page.read_bytes()
    edit(served.root / CAMPAIGN, "    fee: 350\n", "    fee: -1\n")
    printed = served.output_until("still serving the last good build")
    assert any("briefs/launch/campaign.yaml:" in line and "must not be negative" in line for line in printed)
    assert page.read_bytes() == before
    assert served.get("/launch/kaffee-klara/").status == 200


def test_built_files_never_hold_the_live_script(shared: Server) -> None:
    served_page = shared.get("/launch/ben-brews/").read().decode()
    assert "/_briefkit/events" in served_page
    assert "connect-src 'self'" in served_page
    for built in (shared.root / "output").rglob("*.html"):
        assert "_briefkit" not in built.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [
    "/../briefs/launch/campaign.yaml",
    "/launch/../../briefs/launch/campaign.yaml",
    "/%2e%2e/briefs/launch/campaign.yaml",
    "/..%2Fbriefs%2Flaunch%2Fcampaign.yaml",
    "/launch%2Fben-brews/index.html",
    "/launch/ben-brews/%2e%2e/kaffee-klara/index.html",
    "/..%5Cbriefs%5Claunch%5Ccampaign.yaml",
    "/.briefkit-manifest.json",
    "/launch/ben-brews/index.html%00.pdf",
    "/%ff%fe",
    "/out-link/passwd",
    "/launch/",
])
def test_path_tricks_get_404(shared: Server, path: str) -> None:
    response = shared.get(path)
    assert response.status == 404, path
    body = response.read()
    assert b"root:" not in body and b"title:" not in body


def test_what_is_served(shared: Server) -> None:
    pdf = shared.get("/launch/ben-brews/brief.pdf")
    assert pdf.getheader("Content-Type") == "application/pdf" and pdf.read().startswith(b"%PDF-")
    folder = shared.get("/launch/ben-brews")
    assert (folder.status, folder.getheader("Location")) == (301, "/launch/ben-brews/")
    index = shared.get("/").read().decode()
    assert 'href="/launch/ben-brews/"' in index and 'href="/launch/kaffee-klara/"' in index
    head = shared.get("/launch/ben-brews/index.html", method="HEAD")
    assert head.status == 200 and head.read() == b""
    assert shared.url.startswith("http://127.0.0.1:")


def test_another_address_warns_and_a_taken_port_is_a_usage_error(workspace: Path) -> None:
    server = start(workspace, "--no-pdf", "--host", "0.0.0.0")
    try:
        assert any("anyone who can reach this machine" in line for line in server.output_until("warning"))
        port = server.url.rsplit(":", 1)[1].rstrip("/")
        taken = subprocess.run([sys.executable, "-m", "briefkit", "serve", "--no-pdf", "--port", port,
                                "--workspace", str(workspace)], capture_output=True, text=True, timeout=60)
        assert taken.returncode == 2 and f"port {port} is in use" in taken.stderr
    finally:
        assert stop(server) == 0


def test_ctrl_c_stops_cleanly(served: Server) -> None:
    host, port = served.url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    with socket.create_connection((host, int(port))):
        pass  # serving
    assert stop(served) == 0
    assert not [p for p in (served.root / "output").rglob("*.tmp")]


def test_only_requests_for_this_machine_are_answered(shared: Server) -> None:
    """A page on another site cannot read the briefs by pointing its own name at
    127.0.0.1 (DNS rebinding): the browser then sends that name as the Host."""
    port = shared.url.rstrip("/").rsplit(":", 1)[1]
    for host in ["evil.example", f"evil.example:{port}", f"localhost.evil.example:{port}",
                 f"127.0.0.1.evil.example:{port}", f"localhost:{int(port) + 1}", None]:
        for path in ["/", "/launch/ben-brews/", "/launch/ben-brews/brief.pdf", "/_briefkit/events"]:
            response = shared.get(path, host=host)
            assert response.status == 421, (host, path)
            assert response.getheader("Content-Type") == "text/plain; charset=utf-8"
            body = response.read()
            assert not any(text in body for text in (b"ben-brews", b"Ben Carter", b"%PDF", b"event:", b"<")), \
                (host, path, body)
    for host in [f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "localhost", f"LocalHost:{port}"]:
        response = shared.get("/launch/ben-brews/", host=host)
        assert response.status == 200, host
        assert b"Ben Carter" in response.read()


def test_a_client_that_hangs_up_leaves_no_traceback(served: Server) -> None:
    """A download cancelled or a tab closed is the client's business: the terminal stays quiet."""
    host, port = served.url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    pdf = "/launch/ben-brews/brief.pdf"
    for hang_up in ["at once", "after the first bytes"] * 5:
        with socket.create_connection((host, int(port)), timeout=10) as client:
            # Closing with a reset, as a browser does with a tab closed mid-download.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.sendall(f"GET {pdf} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            if hang_up == "after the first bytes":
                assert client.recv(12).startswith(b"HTTP/1.")
    response = served.get(pdf)
    assert response.status == 200 and response.read().startswith(b"%PDF-")
    assert stop(served) == 0
    printed = printed_to_the_end(served)
    assert not [line for line in printed if "Traceback" in line or "Exception occurred" in line], printed
    assert printed[-1] == "stopped"


def _alive_in_group(group: int) -> list[str]:
    """The processes of a process group that still run (zombies left to init do not)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        name, fields = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
        if int(fields[2]) == group and fields[0] != "Z":
            alive.append(f"{stat.parent.name} {name}")
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads the processes from /proc")
def test_sigterm_stops_as_ctrl_c_does(served: Server) -> None:
    """A service manager (systemd, docker stop) ends the preview with SIGTERM, here
    while a rebuild of both packets (by worker processes, given two CPUs) is under way."""
    group = served.process.pid  # started in a session, and a process group, of its own
    assert served.get("/").status == 200
    edit(served.root / CAMPAIGN, "name: Haferhof", "name: Haferhof & Co")  # every packet changes
    served.output_until("  built ")
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=30) == 0
    printed = printed_to_the_end(served)
    assert not [line for line in printed if "Traceback" in line], printed
    assert printed[-1] == "stopped"
    deadline = time.monotonic() + 30  # the workers may take a moment to go; one left behind stays
    while _alive_in_group(group) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive_in_group(group) == []


def test_the_index_lists_each_creator_with_offer_deliverables_warnings_and_links(served: Server) -> None:
    """The preview index: who, where, what they get and make, what the build warned
    about them (in their file, or naming them), and their page and PDF; after a save,
    the index of the new build."""
    ben = served.root / "briefs/launch/creators/ben.yaml"
    edit(ben, "region: US", "region: US\ntier: nano")  # 120,000 followers: a warning, in Ben's file
    served.output_until("packets:")
    rows = _index_rows(served.get("/").read().decode())
    assert set(rows) == {"Ben Carter", "Klara Schmidt"}
    assert "United States" in rows["Ben Carter"] and "Germany" in rows["Klara Schmidt"]
    assert "1 × instagram post" in rows["Ben Carter"] and "2 × tiktok video" in rows["Ben Carter"]
    assert "fee" in rows["Ben Carter"]
    assert "declared tier `nano` disagrees" in rows["Ben Carter"] and "briefs/launch/creators/ben.yaml:4" in rows["Ben Carter"]
    assert "disagrees" not in rows["Klara Schmidt"] and "none" in rows["Klara Schmidt"]
    assert 'href="/launch/ben-brews/"' in rows["Ben Carter"] and 'href="/launch/ben-brews/brief.pdf"' in rows["Ben Carter"]
    edit(ben, "tier: nano", "tier: macro")
    served.output_until("packets:")
    assert "disagrees" not in _index_rows(served.get("/").read().decode())["Ben Carter"]


def _index_rows(page: str) -> dict[str, str]:
    """The rows of the preview index by creator name, as HTML."""
    rows = re.findall(r"<tr>\s*<th scope=\"row\">([^<]+)<br>(.*?)</tr>", page, re.S)
    return {name: html for name, html in rows}


def test_a_save_while_pdfs_are_made_ends_that_pdf_build_and_writes_nothing(workspace: Path) -> None:
    """`serve` makes PDFs after pages; a save meanwhile ends the PDF build at once (its
    PDF process killed), so the new save's pages need not wait. Nothing of the ended
    build is written; the next one makes the PDF."""
    from briefkit.build import build
    from briefkit.serve import Hub, _rebuild_pdfs

    assert not build(workspace).failed
    edit(workspace / "briefs/launch/campaign.yaml", "  fee: 300\n", "  fee: 320\n")  # Ben's fee
    assert not build(workspace, pdf=False).failed  # the pages first, as serve does
    pdf = workspace / "output/launch/ben-brews/brief.pdf"
    before = pdf.read_bytes()
    hub, said, saved = Hub(), [], queue.Queue()
    saved.put("a save while the PDF is made")
    _rebuild_pdfs(workspace, 1, hub, said.append, saved)
    assert "  PDFs put off: saved again" in said and hub.errors is None
    assert pdf.read_bytes() == before and "€300.00" in pdf_text(pdf)
    saved.get()
    _rebuild_pdfs(workspace, 1, hub, said.append, saved)
    assert "€320.00" in pdf_text(pdf) and hub.errors is None


def test_the_index_gives_a_creator_the_warnings_of_their_own_file_only(workspace: Path) -> None:
    """Warnings in a creator's own file are theirs; those in campaign.yaml, where Klara is
    written inline, are about the campaign, even when its id is not its folder's name."""
    from briefkit.serve import preview_rows
    from briefkit.validate import check_workspace

    campaign = workspace / "briefs/launch/campaign.yaml"
    campaign.write_text("id: oat-launch\n" + campaign.read_text().replace(
        "    region: DE\n", "    region: DE\n    tier: mega\n", 1))  # Klara's tier, in campaign.yaml
    edit(workspace / "briefs/launch/creators/ben.yaml", "region: US", "region: US\ntier: nano")
    _, diagnostics = check_workspace(workspace)
    warnings = [d for d in diagnostics if not d.is_error]
    assert {d.location.file for d in warnings} == {"briefs/launch/campaign.yaml", "briefs/launch/creators/ben.yaml"}
    rows = {row.name: row for row in preview_rows(workspace, set(), warnings)["Oat Drink Launch"]}
    assert [d.location.file for d in rows["Ben Carter"].warnings] == ["briefs/launch/creators/ben.yaml"]
    assert rows["Klara Schmidt"].warnings == []
