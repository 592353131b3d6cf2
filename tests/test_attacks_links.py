"""Planted attacks on the edition's links (issue 11): where a cited URL may point, and what `make linkcheck` does
when the web answers with hostility.

* refusal — a refs.bib or page URL that names this computer or a private network is refused by `make check`
  with its file and line (no DNS in the build: only what the URL itself says);
* refusal — linkcheck follows no redirect off the public http(s) web, and connects only to addresses it checked;
* bounded work — one deadline per URL and a byte cap per body, whatever the server drips or floods;
* output by context — what servers say (titles, Location headers, error texts) reaches the GitHub issue only as
  code, where GitHub links no @mention, #reference or URL, one row per line, the table's cells intact.

The hostile servers run on 127.0.0.1; the address policy lets through only that one address, the strict policy's
rules apply to every other, and a stand-in resolver gives names to private addresses without any DNS.
"""

from __future__ import annotations

import http.server
import ipaddress
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest

from attacks import Attack, Refused, append, assert_refused, line_of
from edition.escape import github_autolink, github_code_cell, visible_text
from edition.outputs import linkcheck
from edition.outputs.linkcheck import DEAD, OK, REDIRECTED, REFUSED, SOFT_404, UNREACHABLE, Deadline, Result, Settings
from edition.sources.urls import IPAddress, address_refusal
from static_server import serving

# -- refusal: URLs in refs.bib and in the pages (`make check`) ---------------------------------------------------


def planted_source(url: str) -> str:
    """A background source (needs no citation) whose only fault is its URL."""
    return f"""
@online{{planted-source,
  title        = {{A planted source}},
  organization = {{Test}},
  date         = {{2025-06-05}},
  url          = {{{url}}},
  langid       = {{english}},
  keywords     = {{media, background}},
}}
"""


def bib_url(name: str, url: str, message: str) -> Attack:
    return Attack(
        name,
        append("refs.bib", planted_source(url)),
        Refused("refs.bib", line_of("refs.bib", f"url          = {{{url}"), message, key="planted-source"),
    )


FIX = "not a page on the public web; cite the page's public address"
BIB_URL_ATTACKS = [
    bib_url(
        "bib url to 127.0.0.1",
        "https://127.0.0.1/admin",
        f"URL host '127.0.0.1' is a loopback address (this computer), {FIX}",
    ),
    bib_url("bib url to [::1]", "https://[::1]/admin", f"URL host '::1' is a loopback address (this computer), {FIX}"),
    bib_url(
        "bib url to 10.0.0.1",
        "https://10.0.0.1/wiki",
        f"URL host '10.0.0.1' is a private-network address (10.0.0.0/8), {FIX}",
    ),
    bib_url(
        "bib url to 192.168.1.1 with a trailing dot",
        "https://192.168.1.1./",
        f"URL host '192.168.1.1.' is a private-network address (192.168.0.0/16), {FIX}",
    ),
    bib_url(
        "bib url to the cloud metadata service",
        "https://169.254.169.254/latest/meta-data/",
        "URL host '169.254.169.254' is a link-local address (169.254.0.0/16, where cloud metadata services "
        f"answer), {FIX}",
    ),
    bib_url(
        "bib url to 0x7f000001",
        "https://0x7f000001/a",
        f"URL host '0x7f000001' (that is 127.0.0.1) is a loopback address (this computer), {FIX}",
    ),
    bib_url(
        "bib url to decimal 2130706433",
        "https://2130706433/a",
        f"URL host '2130706433' (that is 127.0.0.1) is a loopback address (this computer), {FIX}",
    ),
    bib_url(
        "bib url to 0x7f.1",
        "https://0x7f.1/a",
        f"URL host '0x7f.1' (that is 127.0.0.1) is a loopback address (this computer), {FIX}",
    ),
    bib_url(
        "bib url to octal 0177.0.0.1",
        "https://0177.0.0.1/a",
        f"URL host '0177.0.0.1' (that is 127.0.0.1) is a loopback address (this computer), {FIX}",
    ),
    bib_url(
        "bib url to 127.1",
        "https://127.1/a",
        f"URL host '127.1' (that is 127.0.0.1) is a loopback address (this computer), {FIX}",
    ),
    bib_url(
        "bib url to full-width 127.0.0.1",
        "https://１２７．０．０．１/a",  # noqa: RUF001 (the full-width address is the attack)
        f"URL host '１２７．０．０．１' is a loopback address (this computer), {FIX}",  # noqa: RUF001 (as above)
    ),
    bib_url(
        "bib url to 0.0.0.0",
        "https://0.0.0.0/a",
        f"URL host '0.0.0.0' is the unspecified address (it means this computer), {FIX}",
    ),
    bib_url(
        "bib url to IPv4-mapped [::ffff:127.0.0.1]",
        "https://[::ffff:127.0.0.1]/a",
        f"URL host '::ffff:127.0.0.1' is an IPv6 form of 127.0.0.1, a loopback address (this computer), {FIX}",
    ),
    bib_url(
        "bib url to unique-local [fd00::1]",
        "https://[fd00::1]/a",
        f"URL host 'fd00::1' is a private-network (unique local) address (fc00::/7), {FIX}",
    ),
    bib_url(
        "bib url to link-local [fe80::1%25eth0]",
        "https://[fe80::1%25eth0]/a",
        f"URL host 'fe80::1%25eth0' is a link-local address (fe80::/10), {FIX}",
    ),
    bib_url(
        "bib url to localhost",
        "https://localhost/a",
        "URL host 'localhost' names this computer (localhost), not a page on the web; cite the page's public address",
    ),
    bib_url(
        "bib url to foo.localhost",
        "https://foo.localhost/a",
        "URL host 'foo.localhost' names this computer (localhost), not a page on the web",
    ),
    bib_url(
        "bib url to LOCALHOST. in capitals with a trailing dot",
        "https://LOCALHOST./a",
        "URL host 'localhost.' names this computer (localhost)",
    ),
    bib_url(
        "bib url to a single-label host",
        "https://intranet/wiki",
        "URL host 'intranet' is a single name without a domain, which only means something inside one network; "
        "write the full domain name (e.g. www.example.org)",
    ),
    bib_url(
        "bib url to a .local host",
        "https://printer.local/a",
        "URL host 'printer.local' ends in '.local', a name used only on local or private networks; cite the "
        "page's public address",
    ),
    bib_url(
        "bib url to a .home.arpa host",
        "https://router.home.arpa/a",
        "URL host 'router.home.arpa' ends in '.home.arpa', a name used only on local or private networks",
    ),
    bib_url(
        "bib url to a public address in disguise",
        "https://0x8.0x8.0x8.0x8/a",
        "URL host '0x8.0x8.0x8.0x8' (that is 8.8.8.8) is an IP address written in a disguised form; write the "
        "site's domain name",
    ),
    bib_url(
        "bib url host ending in an impossible number",
        "https://example.300/a",
        "URL host 'example.300' looks like an IP address but is no valid one; write the site's domain name",
    ),
    bib_url(
        "bib url host of 5,000 digits (past int()'s digit limit)",
        "https://" + "1" * 5000 + "/a",
        "looks like an IP address but is no valid one; write the site's domain name",
    ),
    Attack(
        "bib url with a line break",
        append("refs.bib", planted_source("https://example.org/a\n/b")),
        Refused(
            "refs.bib",
            line_of("refs.bib", "url          = {https://example.org/a"),
            "URL contains whitespace; remove it (a line break inside a field?)",
            key="planted-source",
        ),
    ),
    Attack(
        "page link to the cloud metadata service",
        append("docs/colophon.md", "\n\nSee [the metadata](https://169.254.169.254/latest/meta-data/).\n"),
        Refused(
            "docs/colophon.md",
            line_of("docs/colophon.md", "169.254.169.254"),
            "URL host '169.254.169.254' is a link-local address",
        ),
    ),
]


@pytest.mark.parametrize("attack", BIB_URL_ATTACKS, ids=str)
def test_refusal_a_url_to_this_computer_or_a_private_network(attack: Attack, project_copy: Path) -> None:
    assert_refused(project_copy, attack)


# -- the hostile web (`make linkcheck`) --------------------------------------------------------------------------

TEST_SERVER = ipaddress.ip_address("127.0.0.1")
TITLE_ATTACK = (
    "页面不存在 @admin [click](https://evil.example/login) <img src=x onerror=alert(1)> "
    "closes #1 | `x` ![i](https://evil.example/p.png) ~~x~~ :tada:"
)
DRIP_SECONDS = 0.05


def only_the_test_server(address: IPAddress) -> str:
    """The strict policy, with one exception: the test server's own IPv4 address."""
    return "" if address == TEST_SERVER else address_refusal(address)


def stand_in_dns(host: str, port: int) -> list[str]:
    """Names for private addresses, without DNS; IP literals as themselves; anything else not found."""
    names = {"intranet.test": ["192.168.1.20"], "metadata.test": ["169.254.169.254"]}
    if host in names:
        return names[host]
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None


class Hostile(http.server.BaseHTTPRequestHandler):
    server: http.server.HTTPServer  # (socketserver types it BaseServer, which has no server_port)
    protocol_version = "HTTP/1.1"
    requests: ClassVar[Counter] = Counter()
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {"Content-Type": "text/html; charset=utf-8"}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self._send(302, headers={"Location": location})

    def _page(self, title: str) -> None:
        self._send(200, f"<html><head><title>{title}</title></head><body><p>x</p></body></html>".encode())

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        with self.lock:
            type(self).requests[(self.command, path)] += 1
        port = self.server.server_port
        handler = ANSWERS.get(path) or (lambda h, p: h._send(404, b"no such test endpoint"))
        try:
            handler(self, port)
        except OSError:  # the client hung up, as it should at its deadline or byte cap
            self.close_connection = True

    # -- misbehaviours that need more than one line --

    def drip_body(self, _port: int) -> None:
        if self.command == "HEAD":
            return self._send(200)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        self._drip(b"<")

    def drip_headers(self, _port: int) -> None:
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        self._drip(b"X-Slow: " + b"a" * 10 + b"\r\n")

    def _drip(self, unit: bytes) -> None:
        stop = time.monotonic() + 10  # never more than this, even if no client hangs up
        while time.monotonic() < stop:
            for byte in unit:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(DRIP_SECONDS)
        self.close_connection = True

    def silent(self, _port: int) -> None:
        time.sleep(5)
        self.close_connection = True

    def flood(self, _port: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(50 * 1024 * 1024))
        self.end_headers()
        chunk = b"x" * 65536
        if self.command == "GET":
            for _ in range(50 * 16):
                self.wfile.write(chunk)

    def endless_chunks(self, _port: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "GET":
            stop = time.monotonic() + 10
            while time.monotonic() < stop:
                self.wfile.write(b"10000\r\n" + b"y" * 65536 + b"\r\n")
        self.close_connection = True

    def bad_status_line(self, _port: int) -> None:
        self.wfile.write(b"HTTP/1.1 @admin [x](https://evil.example/)\r\n\r\n")
        self.close_connection = True


def _redirect_to(location: str) -> Callable[[Hostile, int], None]:
    return lambda h, p: h._redirect(location)


ANSWERS: dict[str, Callable[[Hostile, int], None]] = {
    "/ok": lambda h, p: h._page("A fine page"),
    "/to-private": lambda h, p: h._redirect(f"http://10.0.0.7:{p}/ok"),
    "/to-metadata": lambda h, p: h._redirect("http://169.254.169.254/latest/meta-data/"),
    "/to-metadata-name": lambda h, p: h._redirect(f"http://metadata.test:{p}/latest/meta-data/"),
    "/to-loopback-v6": lambda h, p: h._redirect(f"http://[::1]:{p}/ok"),
    "/to-mapped": lambda h, p: h._redirect(f"http://[::ffff:127.0.0.1]:{p}/ok"),
    "/to-intranet": lambda h, p: h._redirect(f"https://intranet.test:{p}/ok"),
    "/to-scheme-relative": lambda h, p: h._redirect("//10.0.0.7/x"),
    "/to-unspecified": lambda h, p: h._redirect(f"http://0.0.0.0:{p}/ok"),
    "/to-file": lambda h, p: h._redirect("file:///etc/passwd"),
    "/to-script-scheme": lambda h, p: h._redirect("javascript:alert(document.domain)"),
    "/to-old-scheme": lambda h, p: h._redirect(f"gopher://127.0.0.1:{p}/_x"),
    "/location-markdown": lambda h, p: h._redirect("/[click](https://evil.example/) @admin closes #1"),
    "/location-tab": lambda h, p: h._redirect("/a\tb"),
    "/location-unparsable": lambda h, p: h._redirect("http://[evil.example/"),
    "/loop-a": lambda h, p: h._redirect("/loop-b"),
    "/loop-b": lambda h, p: h._redirect("/loop-a"),
    **{f"/chain-{i}": _redirect_to(f"/chain-{i + 1}") for i in range(30)},
    "/drip-body": Hostile.drip_body,
    "/drip-headers": Hostile.drip_headers,
    "/silent": Hostile.silent,
    "/flood": Hostile.flood,
    "/endless-chunks": Hostile.endless_chunks,
    "/bad-status-line": Hostile.bad_status_line,
    "/title-markdown": lambda h, p: h._page(TITLE_ATTACK),
    "/title-entities": lambda h, p: h._page("404 &lt;script&gt;alert(1)&lt;/script&gt; &#64;admin"),
    "/title-newline": lambda h, p: h._page("Not Found\n::error title=x::owned\n@admin"),
    "/title-bidi": lambda h, p: h._page("404 \u202egnp.exe\u202c"),
    "/wayback/available": lambda h, p: h._send(
        200, json.dumps(WAYBACK[0]).encode(), {"Content-Type": "application/json"}
    ),
}
WAYBACK: list[dict[str, object]] = [{}]  # what the fake Wayback API answers next


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # the silent and dripping answers end on their own; the tests need not wait for them

    def handle_error(self, request, client_address) -> None:  # clients that hang up are the point here
        pass


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[str]:
    with serving(_Server(("127.0.0.1", 0), Hostile)) as base:
        yield base


@pytest.fixture
def hostile(hostile_server: str) -> str:
    Hostile.requests = Counter()
    WAYBACK[0] = {}
    return hostile_server


def attack_settings(base: str, **overrides: object) -> Settings:
    values: dict[str, Any] = {
        "timeout": 0.5,
        "retries": 0,
        "backoff": 0.0,
        "workers": 2,
        "per_host": 2,
        "deadline": 1.0,
        "wayback_api": f"{base}/wayback/available",
        "policy": only_the_test_server,
        "resolver": stand_in_dns,
    }
    values.update(overrides)
    return Settings(**values)


# What the GitHub issue must never carry outside code: mentions, links, images, HTML, workflow commands.
HOSTILE_MARKERS = (
    "@admin",
    "evil.example",
    "<img",
    "<script",
    "javascript",
    "file:",
    "gopher",
    "::error",
    "closes #",
    "\u202e",
    "![",
)


def gfm_cells(row: str) -> list[str]:
    """A table row split as GitHub's cmark-gfm splits it: at every '|' not taken by a backslash pair."""
    cells: list[str] = []
    cell, i = "", 0
    while i < len(row):
        if row[i] == "\\" and i + 1 < len(row):
            cell, i = cell + row[i : i + 2], i + 2
        elif row[i] == "|":
            cells, cell, i = [*cells, cell], "", i + 1
        else:
            cell, i = cell + row[i], i + 1
    return [c.strip().replace("\\|", "|") for c in cells[1:]]  # the row starts and ends with '|'


def split_code(cell: str) -> tuple[list[str], str]:
    """CommonMark code spans of a cell (their shown text) and what is left outside them."""
    spans, outside, i = [], "", 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            outside, i = outside + cell[i : i + 2], i + 2
            continue
        if cell[i] != "`":
            outside, i = outside + cell[i], i + 1
            continue
        run = len(cell[i:]) - len(cell[i:].lstrip("`"))
        close = i + run
        while True:
            close = cell.find("`" * run, close)
            if close < 0 or not cell.startswith("`", close + run):
                break
            close += len(cell[close:]) - len(cell[close:].lstrip("`"))
        if close < 0:  # no closing run: the backticks are text
            outside, i = outside + cell[i : i + run], i + run
            continue
        text = cell[i + run : close]
        spans.append(text[1:-1] if len(text) > 1 and text[0] == text[-1] == " " and text.strip() else text)
        i = close + run
    return spans, outside


def report_row(result: Result, cited: str = "refs.bib:7 (planted-source)") -> list[str]:
    """The cells of ``result``'s row in the issue body; the body's other lines are the report's own."""
    text = linkcheck.report([result], {result.url: [cited]}, Settings())
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| URL")]
    assert len(rows) == 1, text
    return gfm_cells(rows[0])


def assert_inert(cells: list[str], columns: int) -> list[str]:
    """The row has its columns, and every hostile marker is inside code; returns the code spans' texts."""
    assert len(cells) == columns, cells
    quoted = []
    for cell in cells:
        spans, outside = split_code(cell)
        quoted += spans
        for marker in HOSTILE_MARKERS:
            assert marker not in outside, (marker, cell)
    return quoted


@dataclass(frozen=True)
class Met:
    """linkcheck's exact outcome for one hostile answer ('{base}' is the hostile server's address)."""

    verdict: str
    detail: str
    evidence: str = ""
    status: int | None = None
    final: str = ""


@dataclass(frozen=True)
class WebAttack:
    name: str
    path: str
    expect: Met
    settings: dict[str, object] | None = None

    def __str__(self) -> str:
        return self.name


PUBLIC_ONLY = "; linkcheck goes only to public web hosts"
NOT_WEB = "redirect 1 is not a web address (only http and https are followed)"
TOO_LATE = "no complete answer within the 1 s allowed per URL (lookups, tries, redirects and reading included)"

REFUSED_REDIRECTS = [
    WebAttack(
        "redirect to a private IP",
        "/to-private",
        Met(REFUSED, f"redirect 1 leads to a private-network address (10.0.0.0/8){PUBLIC_ONLY}", "10.0.0.7 → 10.0.0.7"),
    ),
    WebAttack(
        "redirect to the cloud metadata service",
        "/to-metadata",
        Met(
            REFUSED,
            "redirect 1 leads to a link-local address (169.254.0.0/16, where cloud metadata services "
            f"answer){PUBLIC_ONLY}",
            "169.254.169.254 → 169.254.169.254",
        ),
    ),
    WebAttack(
        "redirect to a name of the metadata service",
        "/to-metadata-name",
        Met(
            REFUSED,
            "redirect 1 leads to a link-local address (169.254.0.0/16, where cloud metadata services "
            f"answer){PUBLIC_ONLY}",
            "metadata.test → 169.254.169.254",
        ),
    ),
    WebAttack(
        "redirect to [::1]",
        "/to-loopback-v6",
        Met(REFUSED, f"redirect 1 leads to a loopback address (this computer){PUBLIC_ONLY}", "::1 → ::1"),
    ),
    WebAttack(
        "redirect to the allowed server's IPv4-mapped form",
        "/to-mapped",
        Met(
            REFUSED,
            f"redirect 1 leads to an IPv6 form of 127.0.0.1, a loopback address (this computer){PUBLIC_ONLY}",
            f"::ffff:127.0.0.1 → {ipaddress.ip_address('::ffff:127.0.0.1')}",
        ),
    ),
    WebAttack(
        "redirect to an intranet name over https",
        "/to-intranet",
        Met(
            REFUSED,
            f"redirect 1 leads to a private-network address (192.168.0.0/16){PUBLIC_ONLY}",
            "intranet.test → 192.168.1.20",
        ),
    ),
    WebAttack(
        "scheme-relative redirect to a private host",
        "/to-scheme-relative",
        Met(REFUSED, f"redirect 1 leads to a private-network address (10.0.0.0/8){PUBLIC_ONLY}", "10.0.0.7 → 10.0.0.7"),
    ),
    WebAttack(
        "redirect to 0.0.0.0",
        "/to-unspecified",
        Met(
            REFUSED,
            f"redirect 1 leads to the unspecified address (it means this computer){PUBLIC_ONLY}",
            "0.0.0.0 → 0.0.0.0",
        ),
    ),
    WebAttack("redirect to file://", "/to-file", Met(REFUSED, NOT_WEB, "file:///etc/passwd")),
    WebAttack(
        "redirect to javascript:", "/to-script-scheme", Met(REFUSED, NOT_WEB, "javascript:alert(document.domain)")
    ),
    WebAttack(
        "redirect to gopher:// on the allowed host", "/to-old-scheme", Met(REFUSED, NOT_WEB, "gopher://{host}/_x")
    ),
    WebAttack(
        "Location with a control character",
        "/location-tab",
        Met(REFUSED, "redirect 1 contains a line break or another control character", "/a\tb"),
    ),
    WebAttack(
        "Location that is no address",
        "/location-unparsable",
        Met(DEAD, "redirect 1 is no valid address", "http://[evil.example/"),
    ),
]
BOUNDED = [
    WebAttack("redirect loop", "/loop-a", Met(DEAD, "redirect loop", status=302, final="{base}/loop-a")),
    WebAttack(
        "endless redirect chain", "/chain-0", Met(DEAD, "too many redirects (11)", status=302, final="{base}/chain-11")
    ),
    WebAttack("slow-drip body past the deadline", "/drip-body", Met(UNREACHABLE, TOO_LATE)),
    WebAttack("slow-drip headers past the deadline", "/drip-headers", Met(UNREACHABLE, TOO_LATE)),
    WebAttack(
        "a server that never answers, per-read timeout longer than the deadline",
        "/silent",
        Met(UNREACHABLE, TOO_LATE),
        {"timeout": 30.0},
    ),
    WebAttack(
        "retries that would outlast the deadline",
        "/silent",
        Met(UNREACHABLE, TOO_LATE),
        {"timeout": 0.3, "retries": 20},
    ),
    WebAttack("a 50 MB body", "/flood", Met(OK, "", status=200, final="{base}/flood")),
    WebAttack("an endless chunked body", "/endless-chunks", Met(OK, "", status=200, final="{base}/endless-chunks")),
]
QUOTED = [
    WebAttack(
        "title with Markdown, HTML and @mention",
        "/title-markdown",
        Met(SOFT_404, "HTTP 200, but the page's title says", TITLE_ATTACK, 200, "{base}/title-markdown"),
    ),
    WebAttack(
        "title with entities that decode to a script",
        "/title-entities",
        Met(
            SOFT_404,
            "HTTP 200, but the page's title says",
            "404 <script>alert(1)</script> @admin",
            200,
            "{base}/title-entities",
        ),
    ),
    WebAttack(
        "title with a line break and a workflow command",
        "/title-newline",
        Met(
            SOFT_404,
            "HTTP 200, but the page's title says",
            "Not Found ::error title=x::owned @admin",
            200,
            "{base}/title-newline",
        ),
    ),
    WebAttack(
        "title with a bidi override",
        "/title-bidi",
        Met(SOFT_404, "HTTP 200, but the page's title says", "404 \u202egnp.exe\u202c", 200, "{base}/title-bidi"),
    ),
    WebAttack(
        "Location header with Markdown and @mention",
        "/location-markdown",
        Met(
            DEAD,
            "HTTP 404 via 1 redirect(s)",
            status=404,
            final="{base}/[click](https://evil.example/) @admin closes #1",
        ),
    ),
    WebAttack(
        "status line with Markdown and @mention",
        "/bad-status-line",
        Met(UNREACHABLE, "the connection failed", "BadStatusLine: HTTP/1.1 @admin [x](https://evil.example/)\r\n"),
    ),
]


def run_attack(base: str, attack: WebAttack) -> tuple[Result, float]:
    started = time.monotonic()
    result = linkcheck.check_url(base + attack.path, attack_settings(base, **(attack.settings or {})))
    return result, time.monotonic() - started


def assert_met(base: str, attack: WebAttack, result: Result) -> None:
    fill = {"base": base, "host": urlsplit(base).netloc}
    expect = attack.expect
    assert (result.verdict, result.detail) == (expect.verdict, expect.detail), result
    assert result.evidence == expect.evidence.format(**fill), result
    assert result.status == expect.status, result
    assert result.final_url == expect.final.format(**fill), result


@pytest.mark.parametrize("attack", REFUSED_REDIRECTS, ids=str)
def test_refusal_a_redirect_off_the_public_web_is_not_followed(hostile: str, attack: WebAttack) -> None:
    result, _ = run_attack(hostile, attack)
    assert_met(hostile, attack, result)
    assert set(Hostile.requests) == {("HEAD", attack.path)}  # nothing after the refused step
    cells = report_row(result)
    quoted = assert_inert(cells, 5)
    assert visible_text(result.evidence) in quoted


@pytest.mark.parametrize("attack", BOUNDED, ids=str)
def test_bounded_work_every_url_finishes_within_its_deadline(hostile: str, attack: WebAttack) -> None:
    result, seconds = run_attack(hostile, attack)
    assert_met(hostile, attack, result)
    assert seconds < 1.0 + 0.75, f"{attack.name} took {seconds:.2f} s"


@pytest.mark.parametrize("path", ["/flood", "/endless-chunks"])
def test_bounded_work_no_more_than_the_byte_cap_is_read(hostile: str, path: str) -> None:
    settings = attack_settings(hostile, body_limit=100_000, deadline=5.0)
    started = time.monotonic()
    body = linkcheck.request("GET", hostile + path, settings, Deadline(5.0), read_body=True).body
    assert len(body) == 100_000
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "page",
    [
        "<title" * 50_000,
        "<" * 250_000,
        "<title>" + "<a" * 120_000,
        "<!--" * 60_000,
        "<script>" * 30_000,
        "<h1>" + "page not" * 30_000,
        "<title>" + "not " * 60_000,
    ],
    ids=[
        "open titles",
        "bare <",
        "title of unclosed tags",
        "open comments",
        "open scripts",
        "almost a phrase",
        "almost not found",
    ],
)
def test_bounded_work_a_hostile_page_is_read_in_linear_time(page: str) -> None:
    body = page.encode()[: linkcheck.BODY_LIMIT]
    started = time.monotonic()
    linkcheck.soft_404_reason(body, "text/html; charset=utf-8")
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("attack", QUOTED, ids=str)
def test_output_by_context_what_a_server_says_reaches_the_issue_only_as_code(
    hostile: str, attack: WebAttack, capsys: pytest.CaptureFixture
) -> None:
    result, _ = run_attack(hostile, attack)
    assert_met(hostile, attack, result)
    cells = report_row(result)
    quoted = assert_inert(cells, 5)
    assert visible_text(result.evidence or result.final_url) in quoted  # shown whole, as the server said it
    print(linkcheck._log_line(result))
    log = capsys.readouterr().out
    assert log.count("\n") == 1 and not log.startswith("::")  # one line in the CI log, no workflow command


def test_output_by_context_a_cited_url_with_a_line_break_is_refused_before_any_request(hostile: str) -> None:
    url = f"{hostile}/ok\n::error::x @admin"
    result = linkcheck.check_url(url, attack_settings(hostile))
    assert (result.verdict, result.detail) == (
        REFUSED,
        "the address contains a line break or another control character",
    )
    assert not Hostile.requests
    cells = report_row(result)
    assert assert_inert(cells, 5)[0] == visible_text(url)  # the URL column: code, '\n' shown as such


def test_output_by_context_a_wayback_answer_is_a_link_only_to_the_wayback_machine(hostile: str) -> None:
    settings = attack_settings(hostile)
    WAYBACK[0] = {"archived_snapshots": {"closest": {"available": True, "url": "javascript:alert(1)"}}}
    assert linkcheck.archived_copy(f"{hostile}/gone", settings) == ""
    WAYBACK[0] = {"archived_snapshots": {"closest": {"available": True, "url": "https://evil.example/@admin"}}}
    found = linkcheck.archived_copy(f"{hostile}/gone", settings)
    assert found == "https://evil.example/@admin"
    cells = report_row(Result(f"{hostile}/gone", DEAD, 404, detail="HTTP 404", archive=found))
    assert assert_inert(cells, 5)[-1] == "https://evil.example/@admin"
    snapshot = "https://web.archive.org/web/2025/https://example.org/a|b"
    cells = report_row(Result(f"{hostile}/gone", DEAD, 404, detail="HTTP 404", archive=snapshot))
    assert cells[-1] == "<https://web.archive.org/web/2025/https://example.org/a%7Cb>"


def test_output_by_context_a_poisoned_cache_cannot_write_into_the_issue(tmp_path: Path) -> None:
    now = Settings().now
    cache: dict[str, dict[str, object]] = {
        "https://example.org/a": {
            "verdict": REDIRECTED,
            "status": "@admin",
            "checked_at": now.isoformat(),
            "final_url": "javascript:alert(1) @admin",
            "detail": "@admin [x](https://evil.example/) closes #1",
            "evidence": "<img>",
        }
    }
    result = linkcheck.check_all(["https://example.org/a"], Settings(), cache)[0]
    assert result.from_cache
    assert (result.verdict, result.status, result.detail, result.evidence) == (
        REDIRECTED,
        None,
        "moved; cite the new address if it is the same page",
        "",
    )
    quoted = assert_inert(report_row(result), 4)
    assert "javascript:alert(1) @admin" in quoted


@pytest.mark.parametrize(
    "value",
    [
        TITLE_ATTACK,
        "a|b",
        "a\\|b",
        "a\\\\|b",
        "\\",
        "`",
        "``x`",
        "x `` y",
        " a ",
        "line\nbreak\r\n",
        "\u202eevil",
        "|" * 5,
        "\\|" * 5,
    ],
)
def test_output_by_context_a_code_cell_shows_exactly_its_text_and_keeps_the_row(value: str) -> None:
    row = f"| {github_code_cell(value)} | next |"
    cells = gfm_cells(row)
    assert len(cells) == 2 and cells[1] == "next", row
    spans, outside = split_code(cells[0])
    assert spans == [shown_in_cell(" ".join(visible_text(value).split()))], row
    assert outside.strip() == ""


def shown_in_cell(text: str) -> str:
    """What GitHub shows of ``text`` in a code cell: the text, with one backslash more before a '|' that follows
    an odd run of them (the price of keeping the cell whole; such titles are rare and stay readable)."""
    shown, run = "", 0
    for char in text:
        shown += "\\" if char == "|" and run % 2 else ""
        shown += char
        run = run + 1 if char == "\\" else 0
    return shown


@pytest.mark.parametrize(
    "url, link",
    [
        ("https://example.org/a|b", "<https://example.org/a%7Cb>"),
        ("https://example.org/`x`>", "<https://example.org/%60x%60%3E>"),
        ("https://example.org/a\\b", None),  # a backslash is no part of an address (escape.safe_url): not linked
        ("https://例子.cn/页", "<https://%E4%BE%8B%E5%AD%90.cn/%E9%A1%B5>"),
        ("javascript:alert(1)", None),
        ("//evil.example/", None),
        ("https://example.org/a b", None),
    ],
)
def test_output_by_context_an_autolink_cannot_leave_its_cell(url: str, link: str | None) -> None:
    assert github_autolink(url) == link
