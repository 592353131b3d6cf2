"""``make linkcheck``: every cited URL checked over the network (opt-in; never part of the build).

Each address gets a HEAD request (a GET where HEAD is refused), redirects followed by
hand so the chain is known, retries on timeouts, resets, 5xx and 429, and a GET of the
final page to catch "soft" failures (a 200 whose title says 404 / 页面不存在). Results
are cached in ``linkcheck-cache.json`` (URL → verdict, status, final URL, checked-at),
kept in the repository so repeated runs are cheap; a fresh good result is reused, a
failure is always checked again. For a failing link the Wayback Machine's availability
API is asked for an archived copy. The Markdown report goes to
``build/linkcheck-report.md``; the exit status is 1 when a link is dead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import re
import socket
import ssl
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from edition.bib import load_bibliography
from edition.book import BIBLIOGRAPHY
from edition.consistency import MARKDOWN_URL
from edition.problems import EditionError, line_of, read_text

CACHE = Path("linkcheck-cache.json")
REPORT = Path("build/linkcheck-report.md")
WAYBACK_API = "https://archive.org/wayback/available"
USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0 Safari/537.36")
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8",
}
HEAD_REFUSED = {403, 405, 501}
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_REDIRECTS = 10
BODY_LIMIT = 256 * 1024
SOFT_404_TITLE = re.compile(r"\b404\b|not\s+found|页面不存在|页面未找到|找不到(?:该|此)?页面|无法找到|错误页面|页面已删除",
                            re.I)
SOFT_404_BODY = re.compile(r"页面不存在|页面未找到|您(?:所)?访问的页面(?:不存在|已删除)|page\s+not\s+found|"
                           r"the\s+page\s+you\s+(?:requested|are\s+looking\s+for)\s+(?:could\s+not|cannot|does\s+not)",
                           re.I)

# Verdicts. Failing ones make the exit status non-zero.
OK, REDIRECTED, BLOCKED = "ok", "redirected", "blocked"
DEAD, SOFT_404, UNREACHABLE = "dead", "soft-404", "unreachable"
FAILING = {DEAD, SOFT_404, UNREACHABLE}


@dataclass
class Result:
    url: str
    verdict: str
    status: int | None = None
    final_url: str = ""
    checked_at: str = ""
    detail: str = ""
    archive: str = ""
    from_cache: bool = False

    def cache_record(self) -> dict[str, object]:
        record = asdict(self)
        record.pop("url")
        record.pop("from_cache")
        return record


@dataclass
class Settings:
    timeout: float = 15.0
    retries: int = 2
    backoff: float = 1.0
    workers: int = 8
    per_host: int = 2
    max_age_days: float = 7.0
    wayback_api: str = WAYBACK_API
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes = b""


class _Transient(Exception):
    """A failure worth another try: timeout, reset, refused, 5xx, 429."""


# -- one request ----------------------------------------------------------------------------------------------


def request(method: str, url: str, timeout: float, *, read_body: bool = False) -> Response:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"not an http(s) address: {url}")
    if parts.scheme == "https":
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, quote(target, safe="/?&=%:@!$'()*+,;~-._"), headers=HEADERS)
        response = connection.getresponse()
        body = response.read(BODY_LIMIT) if read_body else b""
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def _attempt(method: str, url: str, settings: Settings, *, read_body: bool = False) -> Response:
    """One request with retries on transient failures; the last failure is raised."""
    last: Exception | None = None
    for attempt in range(settings.retries + 1):
        if attempt:
            time.sleep(settings.backoff * attempt)
        try:
            response = request(method, url, settings.timeout, read_body=read_body)
        except (socket.timeout, TimeoutError) as exc:
            last = _Transient(f"timed out after {settings.timeout:g} s")
            last.__cause__ = exc
            continue
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            if isinstance(exc, ssl.SSLCertVerificationError):
                raise _Transient(f"TLS certificate not valid: {exc.verify_message}") from exc
            last = _Transient(_describe(exc))
            continue
        if response.status in RETRY_STATUS and attempt < settings.retries:
            last = _Transient(f"HTTP {response.status}")
            continue
        return response
    assert last is not None
    raise last


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the server"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, socket.gaierror):
        return "host name not found (DNS)"
    return f"{type(exc).__name__}: {exc}"


# -- one URL ---------------------------------------------------------------------------------------------------


def _follow(url: str, settings: Settings) -> tuple[Response, str, list[str], str]:
    """HEAD (GET where HEAD is refused) along the redirect chain: final response, final URL, chain, method."""
    chain = [url]
    method = "HEAD"
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        response = _attempt(method, current, settings)
        if method == "HEAD" and (response.status in HEAD_REFUSED or response.status >= 500):
            method = "GET"
            response = _attempt(method, current, settings)
        location = response.headers.get("location")
        if 300 <= response.status < 400 and location:
            current = urljoin(current, location)
            if current in chain:
                return response, current, chain + [current], method
            chain.append(current)
            continue
        return response, current, chain, method
    return response, current, chain, method


def _same_page(a: str, b: str) -> bool:
    """Whether a redirect only tidies the address (https, host case, www., trailing slash)."""
    def key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        return host, parts.path.rstrip("/") or "/", parts.query
    return key(a) == key(b)


def page_text(body: bytes, content_type: str) -> str:
    charset = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    meta = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.I)
    for encoding in filter(None, [charset and charset.group(1), meta and meta.group(1).decode("ascii", "ignore"),
                                  "utf-8", "gb18030"]):
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", "replace")


def soft_404_reason(body: bytes, content_type: str) -> str:
    """Why a 200 answer looks like an error page, or '' if it does not."""
    if "html" not in (content_type or "html"):
        return ""
    text = page_text(body, content_type)
    for tag in ("title", "h1"):
        match = re.search(rf"<{tag}[^>]*>(.*?)</{tag}>", text, re.I | re.S)
        if match:
            words = " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())
            if SOFT_404_TITLE.search(words):
                return f"the page's {tag} says “{words[:80]}”"
    visible = " ".join(re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", text, flags=re.I | re.S).split())
    found = SOFT_404_BODY.search(visible)
    if found:
        return f"the page says “{found.group(0)}”"
    return ""


def check_url(url: str, settings: Settings) -> Result:
    now = settings.now.isoformat(timespec="seconds")
    try:
        response, final, chain, _method = _follow(url, settings)
    except _Transient as exc:
        return Result(url, UNREACHABLE, None, "", now, str(exc))
    except ValueError as exc:
        return Result(url, DEAD, None, "", now, str(exc))
    status = response.status
    hops = f" via {len(chain) - 1} redirect(s)" if len(chain) > 1 else ""
    if len(chain) > 1 and chain[-1] in chain[:-1]:
        return Result(url, DEAD, status, final, now, "redirect loop")
    if 300 <= status < 400:
        return Result(url, DEAD, status, final, now, f"too many redirects ({len(chain) - 1})")
    if status in {401, 403, 429}:
        return Result(url, BLOCKED, status, final, now, f"HTTP {status}{hops}: the site refuses automated checks; "
                                                        "check by hand in a browser")
    if status >= 400:
        return Result(url, DEAD, status, final, now, f"HTTP {status}{hops}")
    try:
        page = _attempt("GET", final, settings, read_body=True)
        reason = soft_404_reason(page.body, page.headers.get("content-type", "")) if page.status < 300 else ""
    except _Transient:
        reason = ""  # the status was fine; a failed second look proves nothing
    if reason:
        return Result(url, SOFT_404, status, final, now, f"HTTP {status}{hops}, but {reason}")
    if not _same_page(url, final):
        moved_home = (urlsplit(final).path.rstrip("/") == "" and urlsplit(url).path.rstrip("/") != "")
        if moved_home:
            return Result(url, SOFT_404, status, final, now, "redirects to the site's front page: the page is gone")
        return Result(url, REDIRECTED, status, final, now, f"moved{hops}; cite the new address if it is the same page")
    return Result(url, OK, status, final, now, "")


def archived_copy(url: str, settings: Settings) -> str:
    """The closest Wayback Machine snapshot of ``url``, or ''."""
    api = f"{settings.wayback_api}?url={quote(url, safe='')}"
    try:
        response = _attempt("GET", api, Settings(timeout=settings.timeout, retries=1, backoff=settings.backoff),
                            read_body=True)
        closest = json.loads(response.body.decode("utf-8")).get("archived_snapshots", {}).get("closest") or {}
    except (_Transient, ValueError, AttributeError):
        return ""
    return closest.get("url", "") if closest.get("available") else ""


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
            for match in MARKDOWN_URL.finditer(text):
                url = match.group("a") or match.group("b")
                if url.startswith(("http://", "https://")):
                    found[url].append(f"{path.relative_to(root).as_posix()}:{line_of(text, match.start())}")
    return dict(found)


def load_cache(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data.get("urls", {}) if isinstance(data, dict) else {}


def save_cache(path: Path, records: dict[str, dict[str, object]]) -> None:
    data = {"about": "Results of `make linkcheck` (edition/linkcheck.py); fresh good results are not re-checked.",
            "urls": dict(sorted(records.items()))}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _fresh(record: dict[str, object], settings: Settings) -> bool:
    try:
        checked = dt.datetime.fromisoformat(str(record.get("checked_at")))
    except ValueError:
        return False
    return record.get("verdict") in {OK, REDIRECTED} and settings.now - checked < dt.timedelta(days=settings.max_age_days)


def check_all(urls: list[str], settings: Settings, cache: dict[str, dict[str, object]]) -> list[Result]:
    """Every URL, at most ``workers`` at a time and ``per_host`` per host; fresh good results from the cache."""
    results: dict[str, Result] = {}
    todo = []
    for url in urls:
        record = cache.get(url)
        if record and _fresh(record, settings):
            known = {k: v for k, v in record.items() if k in Result.__dataclass_fields__}
            results[url] = Result(url=url, **known, from_cache=True)  # type: ignore[arg-type]
        else:
            todo.append(url)
    hosts: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(settings.per_host))
    lock = threading.Lock()

    def run(url: str) -> Result:
        with lock:
            gate = hosts[(urlsplit(url).hostname or "").lower()]
        with gate:
            result = check_url(url, settings)
        if result.verdict in FAILING:
            result.archive = archived_copy(url, settings)
        return result

    with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        for result in pool.map(run, todo):
            results[result.url] = result
    return [results[url] for url in urls]


def report(results: list[Result], where: dict[str, list[str]], settings: Settings) -> str:
    """The Markdown report the weekly workflow files as an issue."""
    failing = [r for r in results if r.verdict in FAILING]
    redirected = [r for r in results if r.verdict == REDIRECTED]
    blocked = [r for r in results if r.verdict == BLOCKED]
    fine = [r for r in results if r.verdict == OK]
    lines = ["# Link check", "",
             f"Checked {len(results)} cited URL(s) on {settings.now:%Y-%m-%d} "
             f"({sum(r.from_cache for r in results)} from the cache): {len(failing)} failing, "
             f"{len(redirected)} redirected, {len(blocked)} blocked, {len(fine)} fine.", ""]

    def table(title: str, rows: list[Result], advice: str, archive: bool = False) -> None:
        if not rows:
            return
        lines.extend([f"## {title}", "", advice, ""])
        head = "| URL | Cited at | Status | What happened |" + (" Archived copy |" if archive else "")
        lines.extend([head, "|---|---|---|---|" + ("---|" if archive else "")])
        for r in rows:
            status = str(r.status) if r.status is not None else "—"
            what = r.detail + (f" → <{r.final_url}>" if r.final_url and r.final_url != r.url else "")
            row = f"| <{r.url}> | {'<br>'.join(where.get(r.url, []))} | {status} | {what.replace('|', '/')} |"
            if archive:
                row += f" {f'<{r.archive}>' if r.archive else 'none found'} |"
            lines.append(row)
        lines.append("")

    table("Failing links", failing, "Find the page's new address, or cite the archived copy "
          "(keep the original URL and add the archive in the entry), then run `make check`.", archive=True)
    table("Redirected to another address", redirected, "Open each and cite the new address if it is the same page.")
    table("Blocked (could not be checked automatically)", blocked, "Open each in a browser.")
    if not (failing or redirected or blocked):
        lines.extend(["Every cited link answers.", ""])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m edition.linkcheck", description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--cache", type=Path, default=None, help=f"default: ROOT/{CACHE}")
    parser.add_argument("--no-cache", action="store_true", help="check every URL, whatever the cache says")
    parser.add_argument("--report", type=Path, default=None, help=f"default: ROOT/{REPORT}")
    parser.add_argument("--max-age-days", type=float, default=Settings.max_age_days)
    parser.add_argument("--timeout", type=float, default=Settings.timeout)
    parser.add_argument("--retries", type=int, default=Settings.retries)
    parser.add_argument("--backoff", type=float, default=Settings.backoff)
    parser.add_argument("--workers", type=int, default=Settings.workers)
    parser.add_argument("--per-host", type=int, default=Settings.per_host)
    parser.add_argument("--wayback-api", default=WAYBACK_API)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    settings = Settings(timeout=args.timeout, retries=args.retries, backoff=args.backoff, workers=args.workers,
                        per_host=args.per_host, max_age_days=args.max_age_days, wayback_api=args.wayback_api)
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
            print(f"{r.verdict}: {r.url}: {r.detail}", file=sys.stderr if r.verdict in FAILING else sys.stdout)
    print(f"make linkcheck: {len(results)} URL(s), {len(failing)} failing; report in "
          f"{report_path.relative_to(root) if report_path.is_relative_to(root) else report_path}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
