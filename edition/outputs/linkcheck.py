"""``make linkcheck``: every cited URL checked over the network (opt-in; never part of the build).

Each address gets a HEAD request (a GET where HEAD is refused), redirects followed by
hand so the chain is known, retries on timeouts, resets, 5xx and 429, and a GET of the
final page to catch "soft" failures (a 200 whose title says 404 / 页面不存在). Results
are cached in ``linkcheck-cache.json`` (URL → verdict, status, final URL, checked-at),
kept in the repository so repeated runs are cheap; a fresh good result is reused, a
failure is always checked again. For a failing link the Wayback Machine's availability
API is asked for an archived copy. The Markdown report goes to
``build/linkcheck-report.md``; the exit status is 1 when a link is dead.

The web answering is untrusted, so the work is bounded and goes nowhere private:

* one deadline per URL covers every try, redirect, DNS lookup and byte read (a server that
  sends one byte a second passes every per-read timeout, not the deadline); at most
  ``body_limit`` bytes of a page are read, and nothing is decompressed;
* every host, the first and each redirect's, is looked up once and every address it gives
  must pass the address policy (public internet only: no loopback, private, link-local,
  reserved, multicast or unspecified address, nor an IPv6 form of one); the connection then
  goes to the address that was checked, so a second lookup cannot swap in another
  (DNS rebinding); only http and https are followed;
* what the pages say (titles, ``Location`` headers, server error texts) reaches the report
  only as code spans, where GitHub links no @mention, #reference or URL, and the report is
  cut at whole lines, below GitHub's limit for an issue body.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import http.client
import ipaddress
import json
import re
import socket
import ssl
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from html import unescape
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from edition.escape import github_autolink, github_code_cell, markdown_text, safe_url, visible_text
from edition.paths import BIBLIOGRAPHY
from edition.problems import EditionError, read_text
from edition.sources.bib import load_bibliography
from edition.sources.urls import IPAddress, address_refusal
from edition.text.citation_consistency import MARKDOWN_URL

CACHE = Path("linkcheck-cache.json")
REPORT = Path("build/linkcheck-report.md")
WAYBACK_API = "https://archive.org/wayback/available"
ARCHIVE_HOST = "web.archive.org"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
    # No Accept-Encoding: bodies come uncompressed, and nothing is ever inflated (no zip bomb).
}
HEAD_REFUSED = {403, 405, 501}
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 10
BODY_LIMIT = 256 * 1024
# An issue body holds at most 65,536 characters; the report stays under 60,000 bytes of UTF-8 (the workflow
# measures bytes, and adds a line with the run's address).
REPORT_LIMIT = 60_000
SOFT_404_TITLE = re.compile(
    r"\b404\b|not\s+found|页面不存在|页面未找到|找不到(?:该|此)?页面|无法找到|错误页面|页面已删除", re.IGNORECASE
)
SOFT_404_BODY = re.compile(
    r"页面不存在|页面未找到|您(?:所)?访问的页面(?:不存在|已删除)|page\s+not\s+found|"
    r"the\s+page\s+you\s+(?:requested|are\s+looking\s+for)\s+(?:could\s+not|cannot|does\s+not)",
    re.IGNORECASE,
)
# Characters no address may carry: urlsplit silently drops tab, CR and LF, so a URL holding them would be
# checked as another URL than the one cited.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Verdicts. Failing ones make the exit status non-zero.
OK, REDIRECTED, BLOCKED = "ok", "redirected", "blocked"
DEAD, SOFT_404, UNREACHABLE, REFUSED = "dead", "soft-404", "unreachable", "refused"
FAILING = {DEAD, SOFT_404, UNREACHABLE, REFUSED}

# What the address policy says of an address: '' when linkcheck may connect to it, else what it is.
AddressPolicy = Callable[[IPAddress], str]
# Host and port → the addresses to try, as text ('93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c').
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system's resolver gives for ``host``, in its order, each once."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


@dataclass
class Result:
    url: str
    verdict: str
    status: int | None = None
    final_url: str = ""
    checked_at: str = ""
    detail: str = ""  # our own words, never text from the web
    archive: str = ""
    evidence: str = ""  # what the web said (a title, a Location, an error text): shown quoted, as code
    from_cache: bool = False

    def cache_record(self) -> dict[str, object]:
        record = asdict(self)
        record.pop("url")
        record.pop("from_cache")
        return record


@dataclass
class Settings:
    timeout: float = 15.0  # one connection, one read
    retries: int = 2
    backoff: float = 1.0
    workers: int = 8
    per_host: int = 2
    max_age_days: float = 7.0
    wayback_api: str = WAYBACK_API
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    deadline: float = 60.0  # everything for one URL: lookups, tries, redirects, reading
    body_limit: int = BODY_LIMIT
    policy: AddressPolicy = address_refusal
    resolver: Resolver = system_resolver


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes = b""


class _Transient(Exception):
    """A failure worth another try: timeout, reset, refused, 5xx, 429."""

    def __init__(self, detail: str, evidence: str = "") -> None:
        super().__init__(detail)
        self.detail, self.evidence = detail, evidence


class _Stop(Exception):
    """The URL has its verdict now; no other try."""

    def __init__(self, verdict: str, detail: str, evidence: str = "") -> None:
        super().__init__(detail)
        self.verdict, self.detail, self.evidence = verdict, detail, evidence


class _Refused(Exception):
    """An address linkcheck does not go to; ``what`` completes "the address …" or "redirect 2 …"."""

    def __init__(self, what: str, evidence: str) -> None:
        super().__init__(what)
        self.what, self.evidence = what, evidence


class Deadline:
    """The time left for one URL."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def left(self) -> float:
        return self._end - time.monotonic()

    def expired(self) -> bool:
        return self.left() <= 0

    def out_of_time(self) -> _Stop:
        return _Stop(
            UNREACHABLE,
            f"no complete answer within the {self.seconds:g} s allowed per URL "
            "(lookups, tries, redirects and reading included)",
        )

    def timeout(self, step: float) -> float:
        """A timeout for one step: ``step`` seconds, or what is left if that is less."""
        if self.expired():
            raise self.out_of_time()
        return min(step, self.left())


class _Watchdog:
    """Shuts the connection's socket down when the deadline passes, waking any read blocked on it.

    Per-read timeouts cannot bound a server that drips its headers or body a byte at a time; the
    shutdown can. Only the socket is touched (not the TLS layer), from the timer's thread.
    """

    def __init__(self, deadline: Deadline) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self.fired = False
        self._timer = threading.Timer(max(0.0, deadline.left()), self._fire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.fired:
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            if self._sock is not None:
                _shut(self._sock)

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's method, also for a TLS one


class _CheckedConnection(http.client.HTTPConnection):
    """HTTP(S) over a socket already connected to an address that passed the policy.

    http.client would look the name up again when connecting, and a second answer could be a
    private address (DNS rebinding); here the name only goes into the Host header and TLS's SNI.
    """

    def __init__(self, host: str, port: int, default_port: int, sock: socket.socket) -> None:
        super().__init__(host, port)
        self.default_port = default_port  # no ':443' in the Host header of an https request
        self._checked = sock

    def connect(self) -> None:
        self.sock = self._checked


# -- one request ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str


def _target(url: str) -> _Target:
    """Where a request for ``url`` goes; _Refused for anything but an http(s) address."""
    if _CONTROL.search(url):
        raise _Refused("contains a line break or another control character", url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _Refused("is not a valid address", url) from None
    if parts.scheme not in {"http", "https"}:
        raise _Refused("is not a web address (only http and https are followed)", url)
    if not parts.hostname:
        raise _Refused("has no host", url)
    default = 443 if parts.scheme == "https" else 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(parts.scheme, parts.hostname, port or default, quote(path, safe="/?&=%:@!$'()*+,;~-._"))


def _resolve(host: str, port: int, settings: Settings, deadline: Deadline) -> list[str]:
    """``settings.resolver``'s answer, given at most one timeout (a lookup cannot be interrupted, only left)."""
    answer: list[list[str] | BaseException] = []

    def look_up() -> None:
        try:
            answer.append(settings.resolver(host, port))
        except Exception as exc:  # noqa: BLE001 (handed to the caller's thread)
            answer.append(exc)

    thread = threading.Thread(target=look_up, name=f"resolve {host}", daemon=True)
    thread.start()
    thread.join(deadline.timeout(settings.timeout))
    if not answer:
        if deadline.expired():
            raise deadline.out_of_time()
        raise _Transient(f"no answer from DNS within {settings.timeout:g} s")
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return list(answer[0])


def _checked_addresses(target: _Target, settings: Settings, deadline: Deadline) -> list[str]:
    """Every address ``target.host`` has, each allowed by the policy; _Refused when one is not."""
    addresses = _resolve(target.host, target.port, settings, deadline)
    if not addresses:
        raise socket.gaierror("no address")
    for text in addresses:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            raise _Refused("resolves to something that is no IP address", f"{target.host} → {text}") from None
        what = settings.policy(address)
        if what:
            raise _Refused(f"leads to {what}; linkcheck goes only to public web hosts", f"{target.host} → {address}")
    return addresses


def _connect(addresses: list[str], port: int, settings: Settings, deadline: Deadline) -> socket.socket:
    """A socket connected to the first of ``addresses`` that answers."""
    last: OSError = ConnectionRefusedError("no address answered")
    for address in addresses:
        try:
            sock = socket.create_connection((address, port), timeout=deadline.timeout(settings.timeout))
        except OSError as exc:
            last = exc
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise last


def _read_body(response: http.client.HTTPResponse, limit: int, deadline: Deadline) -> bytes:
    """At most ``limit`` bytes of the body; the rest is never read."""
    chunks: list[bytes] = []
    size = 0
    while size < limit and not deadline.expired():
        chunk = response.read1(min(64 * 1024, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if deadline.expired():
        raise deadline.out_of_time()
    return b"".join(chunks)


def request(method: str, url: str, settings: Settings, deadline: Deadline, *, read_body: bool = False) -> Response:
    """One request, to an address the policy allows, finished before ``deadline`` or abandoned."""
    target = _target(url)
    addresses = _checked_addresses(target, settings, deadline)
    with _Watchdog(deadline) as watchdog:
        try:
            sock = _connect(addresses, target.port, settings, deadline)
            response: http.client.HTTPResponse | None = None
            try:
                watchdog.watch(sock)
                if target.scheme == "https":
                    sock = ssl.create_default_context().wrap_socket(
                        sock, server_hostname=target.host, do_handshake_on_connect=False
                    )
                    watchdog.watch(sock)
                    sock.do_handshake()
                default_port = 443 if target.scheme == "https" else 80
                connection = _CheckedConnection(target.host, target.port, default_port, sock)
                connection.request(method, target.path, headers=HEADERS)
                response = connection.getresponse()
                body = _read_body(response, settings.body_limit, deadline) if read_body else b""
                return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
            finally:
                if response is not None:
                    response.close()  # it holds the socket's file; the socket closes with the last holder
                sock.close()  # the TLS socket once there is one; the plain one is then detached
        except (_Stop, _Transient, _Refused):
            raise
        except Exception as exc:
            if watchdog.fired or deadline.expired():
                raise deadline.out_of_time() from exc
            raise


def _attempt(method: str, url: str, settings: Settings, deadline: Deadline, *, read_body: bool = False) -> Response:
    """One request with retries on transient failures; the last failure is raised."""
    last: _Transient | None = None
    for attempt in range(settings.retries + 1):
        if attempt:
            pause = settings.backoff * attempt
            if pause >= deadline.left():
                raise deadline.out_of_time()
            time.sleep(pause)
        try:
            response = request(method, url, settings, deadline, read_body=read_body)
        except TimeoutError:
            last = _Transient(f"timed out after {settings.timeout:g} s")
            continue
        except ssl.SSLCertVerificationError as exc:
            raise _Transient("the TLS certificate is not valid", str(exc.verify_message)) from exc
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            last = _Transient(*_describe(exc))
            continue
        except ValueError as exc:  # an address http.client or IDNA cannot encode
            raise _Stop(DEAD, "the address cannot be requested", f"{type(exc).__name__}: {exc}") from exc
        if response.status in RETRY_STATUS and attempt < settings.retries:
            last = _Transient(f"HTTP {response.status}")
            continue
        return response
    assert last is not None
    raise last


def _describe(exc: BaseException) -> tuple[str, str]:
    """Our words for a failed connection, and the error's own text when ours say too little."""
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server", ""
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused", ""
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering", ""
    if isinstance(exc, socket.gaierror):
        return "host name not found (DNS)", ""
    return "the connection failed", f"{type(exc).__name__}: {exc}"


# -- one URL ---------------------------------------------------------------------------------------------------


def _hop(url: str, settings: Settings, deadline: Deadline, method: str, hop: int) -> Response:
    """One step of the chain; a refused address becomes the URL's verdict, naming the step."""
    try:
        return _attempt(method, url, settings, deadline)
    except _Refused as refused:
        where = "the address" if hop == 0 else f"redirect {hop}"
        raise _Stop(REFUSED, f"{where} {refused.what}", refused.evidence) from None


def _follow(url: str, settings: Settings, deadline: Deadline) -> tuple[Response, str, list[str]]:
    """HEAD (GET where HEAD is refused) along the redirect chain: final response, final URL, chain."""
    chain = [url]
    method = "HEAD"
    current = url
    for hop in range(MAX_REDIRECTS + 1):
        response = _hop(current, settings, deadline, method, hop)
        if method == "HEAD" and (response.status in HEAD_REFUSED or response.status >= 500):
            method = "GET"
            response = _hop(current, settings, deadline, method, hop)
        location = response.headers.get("location")
        if not (300 <= response.status < 400 and location):
            return response, current, chain
        if _CONTROL.search(location):
            raise _Stop(REFUSED, f"redirect {hop + 1} contains a line break or another control character", location)
        try:
            current = urljoin(current, location)
        except ValueError:
            raise _Stop(DEAD, f"redirect {hop + 1} is no valid address", location) from None
        if current in chain:
            return response, current, [*chain, current]
        chain.append(current)
    return response, current, chain  # type: ignore[possibly-undefined]  # the loop runs MAX_REDIRECTS + 1 ≥ 1 times


def _same_page(a: str, b: str) -> bool:
    """Whether a redirect only tidies the address (https, host case, www., trailing slash)."""

    def key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        return host, parts.path.rstrip("/") or "/", parts.query

    return key(a) == key(b)


def page_text(body: bytes, content_type: str) -> str:
    charset = re.search(r"charset=([\w-]+)", content_type or "", re.IGNORECASE)
    meta = re.search(rb"<meta[^<>]+charset=[\"']?([\w-]+)", body[:4096], re.IGNORECASE)
    for encoding in filter(
        None, [charset and charset.group(1), meta and meta.group(1).decode("ascii", "ignore"), "utf-8", "gb18030"]
    ):
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", "replace")


@dataclass(frozen=True)
class PageWords:
    title: str
    h1: str
    visible: str


# A comment's start, or a tag. '[^<>]*' stops at the next '<', so a '<' without '>' costs one scan, not one
# per '<' after it: the pass stays linear on a hostile page.
_TOKEN = re.compile(r"<!--|<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*>")
# Elements whose content is text up to their end tag (HTML's raw text and RCDATA): no tags inside.
_TEXT_UNTIL_END = {name: re.compile(rf"</{name}", re.IGNORECASE) for name in ("title", "script", "style", "textarea")}


def _after_comment(text: str, position: int) -> int:
    """Where scanning resumes after a comment opened just before ``position`` (the end, if it never closes)."""
    end = text.find("-->", position)
    return len(text) if end < 0 else end + 3


def _text_element(text: str, name: str, position: int) -> tuple[str, int]:
    """The content of a title, script, style or textarea opened just before ``position``, and where scanning
    resumes: after its end tag (the end, if it never closes)."""
    found = _TEXT_UNTIL_END[name].search(text, position)
    content = text[position : found.start() if found else len(text)]
    tag_end = text.find(">", found.end()) if found else -1
    return content, len(text) if tag_end < 0 else tag_end + 1


def page_words(text: str) -> PageWords:
    """A page's first title, first h1 and visible text (no script, style or comment), in one linear pass."""
    visible: list[str] = []
    title: str | None = None
    h1: list[str] = []
    in_h1 = h1_done = False
    position = 0
    while True:
        match = _TOKEN.search(text, position)
        segment = text[position : match.start() if match else len(text)]
        visible.append(segment)
        if in_h1:
            h1.append(segment)
        if match is None:
            break
        position = match.end()
        if match.group(0) == "<!--":
            position = _after_comment(text, position)
            continue
        closing, name = match.group(1) == "/", match.group(2).lower()
        visible.append(" ")
        if in_h1:
            h1.append(" ")
        if name in _TEXT_UNTIL_END and not closing:
            content, position = _text_element(text, name, position)
            if name == "title" and title is None:
                title = content
            if name in {"title", "textarea"}:
                visible.append(content)
        in_h1, h1_done = _h1_after(name, closing, in_h1=in_h1, h1_done=h1_done)
    return PageWords(_words(title or ""), _words("".join(h1)), _words("".join(visible)))


def _h1_after(name: str, closing: bool, *, in_h1: bool, h1_done: bool) -> tuple[bool, bool]:
    """(in_h1, h1_done) after a tag: the first h1 opens, and its end tag closes it for good."""
    if name == "h1" and not closing and not h1_done:
        return True, h1_done
    if name == "h1" and closing and in_h1:
        return False, True
    return in_h1, h1_done


def _words(chunk: str) -> str:
    return " ".join(unescape(chunk).split())


def soft_404_reason(body: bytes, content_type: str) -> tuple[str, str]:
    """Why a 200 answer looks like an error page (our words, and the page's), or ('', '')."""
    if "html" not in (content_type or "html"):
        return "", ""
    page = page_words(page_text(body, content_type))
    for tag, words in (("title", page.title), ("h1", page.h1)):
        if SOFT_404_TITLE.search(words[:500]):
            return f"the page's {tag} says", words[:200]
    found = SOFT_404_BODY.search(page.visible)
    if found:
        return "the page says", found.group(0)
    return "", ""


def check_url(url: str, settings: Settings) -> Result:
    """The verdict on one URL, reached before ``settings.deadline`` seconds have passed."""
    now = settings.now.isoformat(timespec="seconds")
    deadline = Deadline(settings.deadline)
    try:
        return _verdict(url, settings, deadline, now)
    except _Stop as stop:
        return Result(url, stop.verdict, None, "", now, stop.detail, evidence=stop.evidence)
    except _Transient as exc:
        return Result(url, UNREACHABLE, None, "", now, exc.detail, evidence=exc.evidence)
    except Exception as exc:  # noqa: BLE001 (one odd answer must not end the run for every other URL)
        return Result(
            url,
            UNREACHABLE,
            None,
            "",
            now,
            "linkcheck could not check this address (a bug: please report it)",
            evidence=f"{type(exc).__name__}: {exc}",
        )


def _verdict(url: str, settings: Settings, deadline: Deadline, now: str) -> Result:
    response, final, chain = _follow(url, settings, deadline)
    status = response.status
    hops = f" via {len(chain) - 1} redirect(s)" if len(chain) > 1 else ""
    if len(chain) > 1 and chain[-1] in chain[:-1]:
        return Result(url, DEAD, status, final, now, "redirect loop")
    if 300 <= status < 400:
        return Result(url, DEAD, status, final, now, f"too many redirects ({len(chain) - 1})")
    if status in {401, 403, 429}:
        return Result(
            url,
            BLOCKED,
            status,
            final,
            now,
            f"HTTP {status}{hops}: the site refuses automated checks; check by hand in a browser",
        )
    if status >= 400:
        return Result(url, DEAD, status, final, now, f"HTTP {status}{hops}")
    try:
        page = _attempt("GET", final, settings, deadline, read_body=True)
        reason, said = (
            soft_404_reason(page.body, page.headers.get("content-type", "")) if page.status < 300 else ("", "")
        )
    except _Transient:
        reason, said = "", ""  # the status was fine; a failed second look proves nothing
    except _Refused as refused:  # the name now gives another address than a moment ago
        raise _Stop(REFUSED, f"the final address {refused.what}", refused.evidence) from None
    if reason:
        return Result(url, SOFT_404, status, final, now, f"HTTP {status}{hops}, but {reason}", evidence=said)
    if not _same_page(url, final):
        moved_home = urlsplit(final).path.rstrip("/") == "" and urlsplit(url).path.rstrip("/") != ""
        if moved_home:
            return Result(url, SOFT_404, status, final, now, "redirects to the site's front page: the page is gone")
        return Result(url, REDIRECTED, status, final, now, f"moved{hops}; cite the new address if it is the same page")
    return Result(url, OK, status, final, now, "")


def archived_copy(url: str, settings: Settings) -> str:
    """The closest Wayback Machine snapshot of ``url``, or '' (also for an answer that is no http(s) address)."""
    api = f"{settings.wayback_api}?url={quote(url, safe='')}"
    try:
        response = _attempt("GET", api, replace(settings, retries=1), Deadline(settings.deadline), read_body=True)
        closest = json.loads(response.body.decode("utf-8")).get("archived_snapshots", {}).get("closest") or {}
        found = closest.get("url", "") if closest.get("available") else ""
    except (_Transient, _Stop, _Refused, ValueError, AttributeError):
        return ""
    return found if isinstance(found, str) and safe_url(found) else ""


# -- the whole book ------------------------------------------------------------------------------------------------


def cited_urls(root: Path) -> dict[str, list[str]]:
    """Every URL the edition cites or links to, with where: ``refs.bib:14 (key)``, ``docs/index.md:40``."""
    bib = load_bibliography(root / BIBLIOGRAPHY, shown=BIBLIOGRAPHY.as_posix())
    found: dict[str, list[str]] = defaultdict(list)
    for key, entry in bib.entries.items():
        if entry.get("url"):
            found[entry.get("url")].append(f"{bib.path}:{entry.line_of('url')} ({key})")
    # Links written in the pages and the annotations (Markdown links and <autolinks>).
    for folder in ("docs", "annotations"):
        for path in sorted((root / folder).rglob("*.md")) if (root / folder).is_dir() else []:
            try:
                text = read_text(path, path.relative_to(root).as_posix())
            except EditionError:
                continue  # `make check` names the file
            line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
            for match in MARKDOWN_URL.finditer(text):
                url = match.group("a") or match.group("b")
                if url.startswith(("http://", "https://")):
                    line = bisect.bisect_right(line_starts, match.start())
                    found[url].append(f"{path.relative_to(root).as_posix()}:{line}")
    return dict(found)


def load_cache(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    urls = data.get("urls", {}) if isinstance(data, dict) else {}
    return {url: record for url, record in urls.items() if isinstance(record, dict)} if isinstance(urls, dict) else {}


def save_cache(path: Path, records: dict[str, dict[str, object]]) -> None:
    data = {
        "about": "Results of `make linkcheck` (edition/outputs/linkcheck.py); fresh good results are not re-checked.",
        "urls": dict(sorted(records.items())),
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _fresh(record: dict[str, object], settings: Settings) -> bool:
    try:
        checked = dt.datetime.fromisoformat(str(record.get("checked_at")))
        return record.get("verdict") in {OK, REDIRECTED} and settings.now - checked < dt.timedelta(
            days=settings.max_age_days
        )
    except (ValueError, TypeError):  # not a date, or one without a time zone
        return False


def _from_cache(url: str, record: dict[str, object]) -> Result:
    """A fresh good result as the cache has it. The cache is a file in the repository, so a pull request can
    change it: only the verdict, a status number, the final address and the date are taken, and the wording is
    ours again."""
    verdict = OK if record.get("verdict") == OK else REDIRECTED
    status = record.get("status")
    final = record.get("final_url")
    return Result(
        url,
        verdict,
        status if isinstance(status, int) and 100 <= status <= 599 else None,
        final if isinstance(final, str) else "",
        str(record.get("checked_at")),
        "" if verdict == OK else "moved; cite the new address if it is the same page",
        from_cache=True,
    )


def check_all(urls: list[str], settings: Settings, cache: dict[str, dict[str, object]]) -> list[Result]:
    """Every URL, at most ``workers`` at a time and ``per_host`` per host; fresh good results from the cache."""
    results: dict[str, Result] = {}
    todo = []
    for url in urls:
        record = cache.get(url)
        if record and _fresh(record, settings):
            results[url] = _from_cache(url, record)
        else:
            todo.append(url)
    hosts: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(settings.per_host))
    lock = threading.Lock()

    def run(url: str) -> Result:
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""
        with lock:
            gate = hosts[host]
        with gate:
            result = check_url(url, settings)
        if result.verdict in FAILING and result.verdict != REFUSED:
            result.archive = archived_copy(url, settings)
        return result

    with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        for result in pool.map(run, todo):
            results[result.url] = result
    return [results[url] for url in urls]


# -- the report (filed as a GitHub issue by .github/workflows/linkcheck.yml) -----------------------------------------


def _url_cell(url: str) -> str:
    """A cited address: a link where it is a plain http(s) address, else quoted as code."""
    return github_autolink(url) or github_code_cell(url)


def _archive_cell(url: str) -> str:
    """A link only to the Wayback Machine itself; anything else its API might answer stays code."""
    if not url:
        return "none found"
    try:
        link = github_autolink(url) if urlsplit(url).hostname == ARCHIVE_HOST else None
    except ValueError:
        link = None
    return link or github_code_cell(url)


def _what_cell(r: Result) -> str:
    what = markdown_text(r.detail).replace("|", "\\|")
    if r.evidence:
        what += (": " if what else "") + github_code_cell(r.evidence)
    if r.final_url and r.final_url != r.url:
        what += " → " + github_code_cell(r.final_url)
    return what


def report(results: list[Result], where: dict[str, list[str]], settings: Settings, limit: int = REPORT_LIMIT) -> str:
    """The Markdown report the weekly workflow files as an issue, at most ``limit`` bytes of UTF-8.

    Every value from outside (addresses, where they are cited, what the servers said) passes
    through edition/escape.py's GitHub helpers; rows are whole lines, so a cut cannot split one.
    """
    failing = [r for r in results if r.verdict in FAILING]
    redirected = [r for r in results if r.verdict == REDIRECTED]
    blocked = [r for r in results if r.verdict == BLOCKED]
    fine = [r for r in results if r.verdict == OK]
    lines = [
        "# Link check",
        "",
        (
            f"Checked {len(results)} cited URL(s) on {settings.now:%Y-%m-%d} "
            f"({sum(r.from_cache for r in results)} from the cache): {len(failing)} failing, "
            f"{len(redirected)} redirected, {len(blocked)} blocked, {len(fine)} fine."
        ),
        "",
    ]
    room = limit - 200  # for the closing note
    left_out = 0

    def table(title: str, rows: list[Result], advice: str, archive: bool = False) -> None:
        nonlocal left_out
        size = sum(_bytes(line) + 1 for line in lines)
        if not rows:
            return
        lines.extend([f"## {title}", "", advice, ""])
        head = "| URL | Cited at | Status | What happened |" + (" Archived copy |" if archive else "")
        lines.extend([head, "|---|---|---|---|" + ("---|" if archive else "")])
        for r in rows:
            status = str(r.status) if r.status is not None else "—"
            cited = "<br>".join(github_code_cell(place) for place in where.get(r.url, []))
            row = f"| {_url_cell(r.url)} | {cited} | {status} | {_what_cell(r)} |"
            if archive:
                row += f" {_archive_cell(r.archive)} |"
            if size + _bytes(row) + 1 > room:
                left_out += 1
                continue
            lines.append(row)
            size += _bytes(row) + 1
        lines.append("")

    table(
        "Failing links",
        failing,
        "Find the page's new address, or cite the archived copy "
        "(keep the original URL and add the archive in the entry), then run `make check`.",
        archive=True,
    )
    table("Redirected to another address", redirected, "Open each and cite the new address if it is the same page.")
    table("Blocked (could not be checked automatically)", blocked, "Open each in a browser.")
    if left_out:
        lines.extend([f"{left_out} more row(s) did not fit in one issue; the run's log lists every result.", ""])
    if not (failing or redirected or blocked):
        lines.extend(["Every cited link answers.", ""])
    return "\n".join(lines)


def _bytes(line: str) -> int:
    return len(line.encode("utf-8", "replace"))


def _log_line(r: Result) -> str:
    """A result for the CI log, on one line: nothing from the web can start a line (``::command::``)."""
    said = f" [{r.evidence}]" if r.evidence else ""
    return visible_text(f"{r.verdict}: {r.url}: {r.detail}{said}")


def main(
    argv: list[str] | None = None, *, policy: AddressPolicy = address_refusal, resolver: Resolver = system_resolver
) -> int:
    """``policy`` and ``resolver`` are for tests (a server on 127.0.0.1); the command line has no way to
    loosen the policy."""
    parser = argparse.ArgumentParser(prog="python -m edition.outputs.linkcheck", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--cache", type=Path, default=None, help=f"default: ROOT/{CACHE}")
    parser.add_argument("--no-cache", action="store_true", help="check every URL, whatever the cache says")
    parser.add_argument("--report", type=Path, default=None, help=f"default: ROOT/{REPORT}")
    parser.add_argument("--max-age-days", type=float, default=Settings.max_age_days)
    parser.add_argument("--timeout", type=float, default=Settings.timeout, help="seconds for one connection or read")
    parser.add_argument(
        "--deadline",
        type=float,
        default=Settings.deadline,
        help="seconds for everything one URL takes (tries, redirects, reading)",
    )
    parser.add_argument("--retries", type=int, default=Settings.retries)
    parser.add_argument("--backoff", type=float, default=Settings.backoff)
    parser.add_argument("--workers", type=int, default=Settings.workers)
    parser.add_argument("--per-host", type=int, default=Settings.per_host)
    parser.add_argument("--wayback-api", default=WAYBACK_API)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    settings = Settings(
        timeout=args.timeout,
        retries=args.retries,
        backoff=args.backoff,
        workers=args.workers,
        per_host=args.per_host,
        max_age_days=args.max_age_days,
        wayback_api=args.wayback_api,
        deadline=args.deadline,
        policy=policy,
        resolver=resolver,
    )
    try:
        where = cited_urls(root)
    except EditionError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 2
    cache_path = args.cache or root / CACHE
    cache = {} if args.no_cache else load_cache(cache_path)
    results = check_all(list(where), settings, cache)
    kept = load_cache(cache_path)
    kept.update({r.url: r.cache_record() for r in results if not r.from_cache})
    save_cache(cache_path, {url: record for url, record in kept.items() if url in where})
    report_path = args.report or root / REPORT
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(report(results, where, settings) + "\n", encoding="utf-8")
    failing = [r for r in results if r.verdict in FAILING]
    for r in results:
        if r.verdict != OK:
            print(_log_line(r), file=sys.stderr if r.verdict in FAILING else sys.stdout)
    print(
        f"make linkcheck: {len(results)} URL(s), {len(failing)} failing; report in "
        f"{report_path.relative_to(root) if report_path.is_relative_to(root) else report_path}"
    )
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
