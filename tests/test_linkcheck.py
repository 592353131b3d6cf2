"""`make linkcheck` against a local server on 127.0.0.1 that misbehaves in every way the web does; never the
internet."""

from __future__ import annotations

import http.server
import ipaddress
import json
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from edition.outputs import linkcheck
from edition.outputs.linkcheck import BLOCKED, DEAD, OK, REDIRECTED, SOFT_404, UNREACHABLE, Settings, check_url
from edition.sources.urls import IPAddress, address_refusal
from static_server import serving

PAGE = "<html><head><title>{title}</title></head><body><h1>{title}</h1><p>{body}</p></body></html>"


class Misbehaving(http.server.BaseHTTPRequestHandler):
    server: http.server.HTTPServer  # (socketserver types it BaseServer, which has no server_port)
    protocol_version = "HTTP/1.1"
    requests: ClassVar[Counter] = Counter()
    agents: ClassVar[list[str]] = []
    hosts: ClassVar[list[str]] = []  # the Host header of each request
    steady_active = 0  # /steady requests being answered now, counted before the answer is sent
    most_active = 0
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: str = "", headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header(
            "Content-Type",
            "text/html; charset=utf-8" if not headers or "Content-Type" not in headers else headers["Content-Type"],
        )
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        cls = type(self)
        with cls.lock:
            cls.requests[(self.command, path)] += 1
            cls.agents.append(self.headers.get("User-Agent", ""))
            cls.hosts.append(self.headers.get("Host", ""))
        self._answer(path)

    def _answer(self, path: str) -> None:
        if path in FIXED_ANSWERS:
            self._send(*FIXED_ANSWERS[path])
        elif path.startswith("/steady"):
            self._steady()
        else:
            ANSWERS.get(path, Misbehaving._no_such_endpoint)(self)

    def _no_such_endpoint(self) -> None:
        self._send(404, "no such test endpoint")

    def _to_intranet(self) -> None:
        self._send(302, headers={"Location": f"http://intranet.test:{self.server.server_port}/ok"})

    def _moved_again(self) -> None:
        self._send(302, headers={"Location": f"http://127.0.0.1:{self.server.server_port}/ok"})

    def _head_refused(self) -> None:
        if self.command == "HEAD":
            self._send(405)
        else:
            self._send(200, PAGE.format(title="王毅会见美国国务卿鲁比奥", body="正文"))

    def _flaky(self) -> None:
        count = type(self).requests[(self.command, "/flaky")]
        self._send(503 if count == 1 else 200, PAGE.format(title="ok", body="ok"))

    def _slow(self) -> None:
        time.sleep(1.5)
        self._send(200, PAGE.format(title="late", body="late"))

    def _steady(self) -> None:
        # Counted only while the client waits: once the answer is on its way the client may
        # start its next request, so the count must drop before sending, not after.
        cls = type(self)
        with cls.lock:
            cls.steady_active += 1
            cls.most_active = max(cls.most_active, cls.steady_active)
        time.sleep(0.05)
        with cls.lock:
            cls.steady_active -= 1
        self._send(200, PAGE.format(title="steady", body="steady"))

    def _reset(self) -> None:
        # Drop the connection with an RST, as an overloaded or filtering server does.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _wayback(self) -> None:
        url = parse_qs(urlsplit(self.path).query)["url"][0]
        snapshots = (
            {
                "closest": {
                    "available": True,
                    "status": "200",
                    "timestamp": "20250605000000",
                    "url": f"http://web.archive.org/web/20250605000000/{url}",
                }
            }
            if url.endswith("/gone")
            else {}
        )
        self._send(200, json.dumps({"url": url, "archived_snapshots": snapshots}), {"Content-Type": "application/json"})


# The answers that are always the same: path → (status, body, headers).
FIXED_ANSWERS: dict[str, tuple[int, str, dict[str, str] | None]] = {
    "/ok": (200, PAGE.format(title="特朗普归来", body="正文"), None),
    "/tidy/": (200, PAGE.format(title="特朗普归来", body="正文"), None),
    "/": (200, PAGE.format(title="首页", body="欢迎"), None),
    "/moved": (301, "", {"Location": "/moved-again"}),
    "/tidy": (301, "", {"Location": "/tidy/"}),
    "/gone-home": (302, "", {"Location": "/"}),
    "/loop-a": (302, "", {"Location": "/loop-b"}),
    "/loop-b": (302, "", {"Location": "/loop-a"}),
    "/forbidden": (403, PAGE.format(title="Forbidden", body=""), None),
    "/gone": (404, PAGE.format(title="404", body="Not Found"), None),
    "/broken": (500, "server error", None),
    "/soft-404": (200, PAGE.format(title="页面不存在", body="您访问的页面不存在"), None),
    "/soft-404-body": (
        200,
        "<html><head><title>外交部</title></head><body><div>对不起，页面未找到</div></body></html>",
        None,
    ),
}
# The answers that depend on the request, the server or the clock (and /steady…, by prefix).
ANSWERS: dict[str, Callable[[Misbehaving], None]] = {
    "/to-intranet": Misbehaving._to_intranet,
    "/moved-again": Misbehaving._moved_again,
    "/head-refused": Misbehaving._head_refused,
    "/flaky": Misbehaving._flaky,
    "/slow": Misbehaving._slow,
    "/reset": Misbehaving._reset,
    "/wayback/available": Misbehaving._wayback,
}


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:  # the reset endpoint breaks its own socket
        pass


@pytest.fixture(scope="module")
def running_server() -> Iterator[str]:
    with serving(_Server(("127.0.0.1", 0), Misbehaving)) as base:
        yield base


@pytest.fixture
def server(running_server: str) -> str:
    """The local server's base URL, its request counts reset for the test."""
    Misbehaving.requests = Counter()
    Misbehaving.agents = []
    Misbehaving.hosts = []
    Misbehaving.steady_active = Misbehaving.most_active = 0
    return running_server


TEST_SERVER = ipaddress.ip_address("127.0.0.1")


def only_the_test_server(address: IPAddress) -> str:
    """The address policy of these tests: the real, strict one, with one exception, the test server's address."""
    return "" if address == TEST_SERVER else address_refusal(address)


def settings(base: str, **overrides) -> Settings:
    values: dict[str, Any] = {
        "timeout": 0.5,
        "retries": 1,
        "backoff": 0.0,
        "workers": 4,
        "per_host": 4,
        "wayback_api": f"{base}/wayback/available",
        "deadline": 5.0,
        "policy": only_the_test_server,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.mark.parametrize(
    "path, verdict, status",
    [
        ("/ok", OK, 200),
        ("/tidy", OK, 200),  # a trailing-slash redirect is the same page
        ("/moved", REDIRECTED, 200),
        ("/forbidden", BLOCKED, 403),
        ("/head-refused", OK, 200),
        ("/gone", DEAD, 404),
        ("/broken", DEAD, 500),
        ("/flaky", OK, 200),
        ("/soft-404", SOFT_404, 200),
        ("/soft-404-body", SOFT_404, 200),
        ("/gone-home", SOFT_404, 200),
        ("/loop-a", DEAD, 302),
    ],
)
def test_each_kind_of_answer_gets_its_verdict(server: str, path: str, verdict: str, status: int) -> None:
    result = check_url(server + path, settings(server))
    assert (result.verdict, result.status) == (verdict, status), result.detail


def test_a_redirect_chain_is_followed_to_its_end(server: str) -> None:
    result = check_url(server + "/moved", settings(server))
    assert result.final_url == server + "/ok"
    assert "2 redirect(s)" in result.detail


def test_a_refused_head_is_retried_as_get(server: str) -> None:
    check_url(server + "/head-refused", settings(server))
    assert Misbehaving.requests[("HEAD", "/head-refused")] == 1
    assert Misbehaving.requests[("GET", "/head-refused")] >= 1


def test_a_server_error_is_retried_before_it_counts(server: str) -> None:
    result = check_url(server + "/broken", settings(server, retries=2))
    assert result.verdict == DEAD
    assert Misbehaving.requests[("HEAD", "/broken")] == 3  # one try and two retries


def test_a_slow_server_times_out_as_unreachable(server: str) -> None:
    result = check_url(server + "/slow", settings(server, timeout=0.2, retries=0))
    assert result.verdict == UNREACHABLE
    assert "timed out" in result.detail


def test_a_reset_connection_is_unreachable(server: str) -> None:
    result = check_url(server + "/reset", settings(server, retries=1))
    assert result.verdict == UNREACHABLE
    assert "reset" in result.detail or "closed the connection" in result.detail
    assert Misbehaving.requests[("HEAD", "/reset")] == 2


def test_requests_look_like_a_browser(server: str) -> None:
    check_url(server + "/ok", settings(server))
    assert Misbehaving.agents and all(agent.startswith("Mozilla/5.0") for agent in Misbehaving.agents)


def test_a_dead_link_gets_an_archived_copy_from_the_wayback_api(server: str) -> None:
    result = linkcheck.check_all([server + "/gone"], settings(server), {})[0]
    assert result.archive == f"http://web.archive.org/web/20250605000000/{server}/gone"
    broken = linkcheck.check_all([server + "/broken"], settings(server), {})[0]
    assert broken.archive == ""  # the fake archive has no copy of that one


def test_no_more_than_the_per_host_limit_at_once(server: str) -> None:
    urls = [f"{server}/steady-{i}" for i in range(8)]
    results = linkcheck.check_all(urls, settings(server, workers=8, per_host=2), {})
    assert {r.verdict for r in results} == {OK}
    assert Misbehaving.most_active <= 2
    # The count does see parallel requests when the limit allows them, so the bound above can fail.
    Misbehaving.most_active = 0
    linkcheck.check_all([u + "?again" for u in urls], settings(server, workers=8, per_host=8), {})
    assert Misbehaving.most_active > 2


def _project(tmp_path: Path, base: str, paths: list[str]) -> Path:
    entries = "\n".join(
        f"""@online{{source-{i},
  title = {{Source {i}}},
  organization = {{Test}},
  date = {{2025-06-05}},
  url = {{{base}{path}}},
  langid = {{english}},
  keywords = {{media}},
}}
"""
        for i, path in enumerate(paths)
    )
    (tmp_path / "refs.bib").write_text(entries, encoding="utf-8")
    return tmp_path


def test_make_linkcheck_writes_a_report_and_a_cache_and_fails_on_dead_links(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    root = _project(tmp_path, server, ["/ok", "/gone", "/moved", "/soft-404"])
    argv = [
        "--root",
        str(root),
        "--timeout",
        "0.5",
        "--retries",
        "0",
        "--backoff",
        "0",
        "--wayback-api",
        f"{server}/wayback/available",
    ]
    assert linkcheck.main(argv, policy=only_the_test_server) == 1
    report = (root / "build" / "linkcheck-report.md").read_text(encoding="utf-8")
    assert "## Failing links" in report
    gone_row = next(line for line in report.splitlines() if f"<{server}/gone>" in line)
    assert "refs.bib:" in gone_row and "(source-1)" in gone_row and "404" in gone_row
    assert "web.archive.org/web/20250605000000" in gone_row
    assert any(f"<{server}/soft-404>" in line for line in report.splitlines() if "页面不存在" in line)
    assert "## Redirected to another address" in report
    moved_row = next(line for line in report.splitlines() if f"<{server}/moved>" in line)
    assert f"→ `{server}/ok`" in moved_row  # where it went, quoted as code: a Location header is never a link
    cache = json.loads((root / "linkcheck-cache.json").read_text(encoding="utf-8"))["urls"]
    assert cache[f"{server}/ok"]["verdict"] == OK and cache[f"{server}/ok"]["status"] == 200
    assert cache[f"{server}/gone"]["verdict"] == DEAD
    assert cache[f"{server}/moved"]["final_url"] == f"{server}/ok"
    assert all(record["checked_at"] for record in cache.values())

    # A second run reuses the fresh good results and checks the failing link again.
    before = Counter(Misbehaving.requests)
    assert linkcheck.main(argv, policy=only_the_test_server) == 1
    assert Misbehaving.requests[("HEAD", "/ok")] == before[("HEAD", "/ok")]
    assert Misbehaving.requests[("HEAD", "/moved")] == before[("HEAD", "/moved")]
    assert Misbehaving.requests[("HEAD", "/gone")] == before[("HEAD", "/gone")] + 1


def test_a_stale_cache_entry_is_checked_again(server: str, tmp_path: Path) -> None:
    old = {
        f"{server}/ok": {
            "verdict": OK,
            "status": 200,
            "final_url": f"{server}/ok",
            "checked_at": "2000-01-01T00:00:00+00:00",
            "detail": "",
            "archive": "",
        }
    }
    results = linkcheck.check_all([f"{server}/ok"], settings(server), old)
    assert not results[0].from_cache
    assert Misbehaving.requests[("HEAD", "/ok")] == 1


def test_links_in_pages_and_annotations_are_checked_too(server: str, tmp_path: Path) -> None:
    root = _project(tmp_path, server, ["/ok"])
    (root / "docs").mkdir()
    (root / "docs" / "about.md").write_text(
        f"# About\n\nSee [the page]({server}/gone) and <{server}/ok>.\n", encoding="utf-8"
    )
    (root / "annotations").mkdir()
    (root / "annotations" / "p1-1.md").write_text(f"---\n---\nA [link]({server}/moved).\n", encoding="utf-8")
    where = linkcheck.cited_urls(root)
    assert where[f"{server}/gone"] == ["docs/about.md:3"]
    assert where[f"{server}/ok"] == ["refs.bib:5 (source-0)", "docs/about.md:3"]
    assert where[f"{server}/moved"] == ["annotations/p1-1.md:3"]


def test_all_good_links_exit_zero(server: str, tmp_path: Path) -> None:
    root = _project(tmp_path, server, ["/ok", "/head-refused"])
    assert (
        linkcheck.main(
            ["--root", str(root), "--timeout", "0.5", "--wayback-api", f"{server}/wayback/available"],
            policy=only_the_test_server,
        )
        == 0
    )
    assert "Every cited link answers." in (root / "build" / "linkcheck-report.md").read_text(encoding="utf-8")


def test_a_broken_bibliography_is_reported_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "refs.bib").write_bytes(b"@online{a,\n title = {\xff}\n}\n")
    assert linkcheck.main(["--root", str(tmp_path)]) == 2
    assert "refs.bib:2: not valid UTF-8" in capsys.readouterr().err


# -- where linkcheck may go ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address, what",
    [
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("10.0.0.1", "private-network"),
        ("172.16.0.1", "private-network"),
        ("192.168.1.1", "private-network"),
        ("169.254.169.254", "link-local"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 (an address classified, not bound)
        ("0.1.2.3", "'this network'"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.1", "documentation"),
        ("198.18.0.1", "benchmarking"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "unique local"),
        ("fd12:3456::1", "unique local"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "documentation"),
        ("::ffff:127.0.0.1", "IPv6 form of 127.0.0.1, a loopback"),
        ("::ffff:169.254.169.254", "IPv6 form of 169.254.169.254, a link-local"),
        ("64:ff9b::a00:1", "IPv6 form of 10.0.0.1, a private-network"),
        ("2002:c0a8:101::1", "IPv6 form of 192.168.1.1, a private-network"),
        ("::7f00:1", "reserved"),
    ],
)
def test_the_strict_policy_refuses_every_address_off_the_public_internet(address: str, what: str) -> None:
    assert what in address_refusal(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "93.184.215.14",
        "2606:4700:4700::1111",
        "2a00:1450:4001:80b::200e",
        "::ffff:8.8.8.8",
        "2002:808:808::1",
    ],
)
def test_the_strict_policy_lets_public_addresses_through(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address)) == ""


def test_the_strict_policy_refuses_the_test_server_before_any_request(server: str) -> None:
    result = check_url(server + "/ok", settings(server, policy=address_refusal))
    assert result.verdict == linkcheck.REFUSED
    assert (
        result.detail == "the address leads to a loopback address (this computer); linkcheck goes only to "
        "public web hosts"
    )
    assert result.evidence == "127.0.0.1 → 127.0.0.1"
    assert not Misbehaving.requests


def resolver(table: dict[str, list[str]]) -> linkcheck.Resolver:
    """A stand-in for DNS: names from ``table``, IP literals as themselves, anything else not found."""

    def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return table[host]
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None

    return resolve


def test_the_connection_goes_to_the_address_that_was_checked(server: str) -> None:
    # '.test' names never resolve on a real resolver: the page can only be reached at the address checked.
    port = urlsplit(server).port
    pinned = resolver({"pinned.test": ["127.0.0.1"]})
    result = check_url(f"http://pinned.test:{port}/ok", settings(server, resolver=pinned))
    assert (result.verdict, result.status) == (OK, 200)
    assert Misbehaving.hosts and set(Misbehaving.hosts) == {f"pinned.test:{port}"}


def test_every_address_of_a_name_must_pass_not_only_the_first(server: str) -> None:
    port = urlsplit(server).port
    table = {"mixed.test": ["127.0.0.1", "10.0.0.1"]}
    result = check_url(f"http://mixed.test:{port}/ok", settings(server, resolver=resolver(table)))
    assert result.verdict == linkcheck.REFUSED
    assert result.detail.startswith("the address leads to a private-network address (10.0.0.0/8)")
    assert result.evidence == "mixed.test → 10.0.0.1"
    assert not Misbehaving.requests


def test_a_name_that_turns_private_between_two_requests_is_refused_at_the_second(server: str) -> None:
    port = urlsplit(server).port
    answers = iter([["127.0.0.1"], ["10.9.8.7"], ["10.9.8.7"]])
    result = check_url(f"http://rebind.test:{port}/ok", settings(server, resolver=lambda host, port: next(answers)))
    assert result.verdict == linkcheck.REFUSED
    assert result.detail.startswith("the final address leads to a private-network address")
    assert result.evidence == "rebind.test → 10.9.8.7"
    assert Misbehaving.requests == Counter({("HEAD", "/ok"): 1})  # the GET never went anywhere


def test_a_redirect_from_the_allowed_server_to_a_private_one_is_refused_and_reported(
    server: str, tmp_path: Path
) -> None:
    table = {"intranet.test": ["192.168.1.20"]}
    root = _project(tmp_path, server, ["/to-intranet"])
    argv = ["--root", str(root), "--timeout", "0.5", "--retries", "0", "--wayback-api", f"{server}/wayback/available"]
    assert linkcheck.main(argv, policy=only_the_test_server, resolver=resolver(table)) == 1
    row = next(
        line
        for line in (root / "build" / "linkcheck-report.md").read_text(encoding="utf-8").splitlines()
        if f"<{server}/to-intranet>" in line
    )
    assert (
        "redirect 1 leads to a private-network address (192.168.0.0/16); linkcheck goes only to "
        "public web hosts: `intranet.test → 192.168.1.20`"
    ) in row
    assert Misbehaving.requests == Counter({("HEAD", "/to-intranet"): 1})
    assert "/wayback/available" not in {path for _, path in Misbehaving.requests}  # no archive for a refusal


def test_a_deadline_bounds_all_retries_together(server: str) -> None:
    started = time.monotonic()
    result = check_url(server + "/slow", settings(server, timeout=0.3, retries=10, deadline=0.8))
    assert time.monotonic() - started < 1.5
    assert result.verdict == UNREACHABLE
    assert result.detail.startswith("no complete answer within the 0.8 s allowed per URL")


def test_the_report_stays_under_its_limit_in_whole_rows() -> None:
    results = [
        linkcheck.Result(f"https://example.org/{i}", DEAD, 404, detail="HTTP 404", evidence="页面" * 100)
        for i in range(2000)
    ]
    text = linkcheck.report(results, {}, Settings(), limit=20_000)
    assert len(text.encode("utf-8")) <= 20_000
    rows = [line for line in text.splitlines() if line.startswith("| <")]
    assert 0 < len(rows) < 2000 and all(row.endswith(" |") for row in rows)
    assert f"{2000 - len(rows)} more row(s) did not fit in one issue; the run's log lists every result." in text
