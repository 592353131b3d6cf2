"""`make bench`: how fast the edition builds and how light its pages are; writes docs/colophon.md's figures.

Everything runs on this machine against copies in a temporary folder; nothing in the
project changes except the figures block of docs/colophon.md. Not a test: the figures
are printed and written for readers, and goals are reported, never asserted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from edition.cache import CACHE_DIR_VARIABLE
from edition.sources.citations import find_citation_blocks
from edition.text.markers import MARKER

if TYPE_CHECKING:
    from playwright.sync_api import Response

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from book_inputs import CHROMIUM_ARGS, copy_book_inputs  # noqa: E402 (the tests' helper: importable once tests/ is on the path)
from static_server import COMPRESSIBLE, serve  # noqa: E402 (as above)

# The Python that runs the bench (`make bench`: .venv's) and its MkDocs.
BIN = Path(sys.executable).parent
PYTHON = sys.executable
MKDOCS = str(BIN / "mkdocs")
COLOPHON = ROOT / "docs" / "colophon.md"
BEGIN, END = "<!-- bench:figures:begin -->", "<!-- bench:figures:end -->"
LIVERELOAD_EPOCH = re.compile(r"livereload\((\d+),")
# Python writes its bytecode as on any machine (some sandboxes set PYTHONDONTWRITEBYTECODE, which would
# have every build recompile the edition's modules while the plain build's libraries come compiled).
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "NO_MKDOCS_2_WARNING": "1",
    "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", str(int(time.time()))),
}
# Two chapters: the first opens with short paragraphs in view, so a change in its lines shows as a layout shift
# (the pencil's arrival did, CLS 0.14, where chapter 2's one long paragraph hid it); the second is the heaviest.
LIGHTHOUSE_PAGES = {
    "首页 front page": "",
    "第一章 chapter 1": "chapter-1/",
    "第二章 chapter 2": "chapter-2/",
    "术语表 glossary": "glossary/",
    "大事记 timeline": "timeline/",
}
RUNS = 3
# Full, stock and like-for-like builds alternate, and each ratio is the median over the rounds: on a shared
# 2-core machine the speed drifts by a third within minutes, which timing one kind after the other would count.
# Fewer rounds of the larger corpora, whose builds are longer and so less disturbed by a moment's drift.
BUILD_ROUNDS = {1: 7, 10: 5, 100: 3}
SCALES = (1, 10, 100)
# The goals (issue 16).
GOAL_VS_STOCK = 0.75  # full build ÷ stock Material
GOAL_LIKE_FOR_LIKE = 1.15  # full build ÷ stock Material given the edition's segmenter
GOAL_FIRST_VISIT = 100 * 1024  # bytes, gzip, every page
GOAL_SERVE = 0.3  # seconds from touching a file to the new page served
GOAL_CHECK = 0.2  # seconds, `make check`
GOAL_LIGHTHOUSE = 100
# Hooks' time per unit counts as flat when it does not grow by more than this from ×10 to ×100.
FLAT = 1.10
LIKE_HOOK = "bench_plain_segmenter.py"


def plain_config(project: Path, *, segmenter: bool) -> None:
    """The same Markdown and theme as stock Material builds it: none of our hooks, no mkdocs-bibtex, not strict.

    With ``segmenter``, the one hook is bench/plain_segmenter.py: stock Material given the edition's
    segmenter, for the like-for-like ratio. Without it, Material segments with jieba, as it does by default.
    """
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    hooks = "\n"
    if segmenter:
        (project / LIKE_HOOK).write_text((ROOT / "bench" / "plain_segmenter.py").read_text(encoding="utf-8"))
        hooks = f"\nhooks:\n  - {LIKE_HOOK}\n"
    text = re.sub(r"\nhooks:\n(?:  - .*\n)+", hooks, text)
    text = re.sub(r"\n  - bibtex:\n(?:      .*\n)+", "\n", text)
    text = text.replace("strict: true", "strict: false")
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env or ENV, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed


def median_time(command: list[str], cwd: Path) -> float:
    return statistics.median(timed(command, cwd) for _ in range(RUNS))


def build_times(project: Path, rounds: int) -> dict[str, float]:
    """Full strict, stock Material and like-for-like builds after one untimed warm-up of each (bytecode, jieba's
    and Jinja's caches in place, as after any first build), alternated; medians, and the medians of the rounds'
    ratios."""
    site = project.parent / (project.name + "-site")
    stock = copy_book_inputs(project.parent / (project.name + "-stock"), origin=project)
    plain_config(stock, segmenter=False)
    like = copy_book_inputs(project.parent / (project.name + "-like"), origin=project)
    plain_config(like, segmenter=True)
    builds = [
        ([MKDOCS, "build", "--strict", "--site-dir", str(site)], project),
        ([MKDOCS, "build", "--site-dir", str(site) + "-stock"], stock),
        ([MKDOCS, "build", "--site-dir", str(site) + "-like"], like),
    ]
    for command, cwd in builds:
        timed(command, cwd)
    times = [tuple(timed(command, cwd) for command, cwd in builds) for _ in range(rounds)]
    # The full build as on a machine that never built the book: no result kept from an earlier build
    # (edition/cache.py), each time in a cache directory of its own.
    cold = [
        timed(builds[0][0], project, {**ENV, CACHE_DIR_VARIABLE: str(project.parent / f"cold-cache-{n}")})
        for n in range(RUNS)
    ]
    return {
        "cold": statistics.median(cold),
        "full": statistics.median(f for f, _, _ in times),
        "stock": statistics.median(s for _, s, _ in times),
        "like": statistics.median(lk for _, _, lk in times),
        "ratio_stock": statistics.median(f / s for f, s, _ in times),
        "ratio_like": statistics.median(f / lk for f, _, lk in times),
        "check": median_time([PYTHON, "-m", "edition.outputs.check", str(project)], project),
        "hooks": statistics.median(hook_time(project) for _ in range(RUNS)),
        "terms": count_terms(site),
    }


def hook_time(project: Path) -> float:
    """Seconds spent inside our hooks in one strict build (bench/hook_time.py)."""
    result = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "hook_time.py")],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench: hook timing failed in {project}:\n{result.stderr[-3000:]}")
    return float(json.loads(result.stdout.strip().splitlines()[-1])["total"])


def synthesize(project: Path, factor: int) -> dict[str, int]:
    """The book ×factor: each chapter copied factor-1 more times as extra pages, with its citations and notes."""
    docs = project / "docs"
    extra = docs / "synthetic"
    extra.mkdir()
    for chapter in sorted(docs.glob("chapter-*.md")):
        text = chapter.read_text(encoding="utf-8")
        for copy in range(1, factor):
            # Ids unique per copy; the text, notes and citations stay as they are, so every check still passes.
            body = re.sub(r"\{#p(\d+)-(\d+)\}", rf"{{#s{copy}-\1-\2}}", text)
            body = MARKER.sub("", body)  # generated content once, on the book's own pages
            name = f"{chapter.stem}-copy-{copy:03d}.md"
            (extra / name).write_text(body, encoding="utf-8")
    # Annotations ×factor: each one again under another name, on the same passage (copies' paragraph ids are not
    # the article's, so an annotation cannot target them).
    for annotation in sorted((project / "annotations").glob("*.md")):
        for copy in range(1, factor):
            (annotation.parent / f"{annotation.stem}-copy-{copy:03d}.md").write_bytes(annotation.read_bytes())
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("\nnav:\n", "\nnot_in_nav: |\n  /synthetic/\nnav:\n", 1),
        encoding="utf-8",
    )
    return counts(project)


def counts(project: Path) -> dict[str, int]:
    return {
        "pages": len(list((project / "docs").rglob("*.md"))),
        "citations": count_citations(project),
        "annotations": len(list((project / "annotations").glob("*.md"))),
    }


def count_terms(site: Path) -> int:
    """Glossary terms linked in the built pages (hooks/glossary_terms.py), each occurrence once."""
    return sum(p.read_text(encoding="utf-8").count('class="edition-term"') for p in site.rglob("*.html"))


def count_citations(project: Path) -> int:
    """Citation blocks (one note each) in the project's pages, read as the build reads them."""
    return sum(len(find_citation_blocks(p.read_text(encoding="utf-8"))) for p in (project / "docs").rglob("*.md"))


def note_answered(answered: set[str], response: Response) -> None:
    if response.status == 200:
        answered.add(response.url)


DEPLOYED_REPOSITORY = {"EDITION_REPO_URL": "https://github.com/owner/edition", "EDITION_EDIT_URI": "edit/main/docs/"}


@contextmanager
def deployed(project: Path, site: Path) -> Iterator[str]:
    """The site as `make build` writes it, the Chinese site with the English one in its en/, built as the deploy
    builds it: with the address it is then served at (EDITION_SITE_URL, as a deploy is served at its site_url) and a
    repository; served compressed, as a static host would; yields that address. Weighed and audited so, a page asks
    for what it asks for when deployed: the English site's sitemap, its full language links, the contribute script."""
    site.mkdir()
    with serve(site, compress=True) as base:
        # A repository too, as .github/workflows/deploy.yml names one: with it, the article's pages load contribute.js
        # and every page links the repository. The address is a stand-in; nothing fetches it.
        env = {**ENV, "EDITION_SITE_URL": base, **DEPLOYED_REPOSITORY}
        timed([MKDOCS, "build", "--strict", "--site-dir", str(site)], project, env)
        timed(
            [MKDOCS, "build", "--strict", "--config-file", "mkdocs.en.yml", "--site-dir", str(site / "en")],
            project,
            env,
        )
        yield base


def page_weights(site: Path, base: str) -> tuple[dict[str, int], dict[str, int]]:
    """Bytes a first visit transfers per page of both sites (``site`` served at ``base``): every request until the
    network is idle, each sized as a host that compresses would send it (gzip for text), from the file it was
    answered with; and the search index."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only this figure needs a browser)

    def sent(path: Path) -> int:
        body = path.read_bytes()
        return len(gzip.compress(body, mtime=0)) if path.name.endswith(COMPRESSIBLE) else len(body)

    weights = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for html in sorted(site.rglob("index.html")):
            url = html.parent.relative_to(site).as_posix()
            url = "" if url == "." else url + "/"
            context = browser.new_context()
            page = context.new_page()
            answered: set[str] = set()
            # The context's responses include those of the page's workers. Sizes come from the files, afterwards:
            # reading a body from the browser races the page's closing, and a body missed would be a page too light.
            context.on("response", partial(note_answered, answered))
            page.goto(base + url, wait_until="networkidle")
            context.close()
            files = set()
            for address in answered:
                if not address.startswith(base):
                    raise SystemExit(f"bench: {url or '/'} requested {address}, off this host")
                relative = unquote(address[len(base) :].split("?")[0].split("#")[0])
                files.add(site / (relative + "index.html" if relative == "" or relative.endswith("/") else relative))
            weights[url or "/"] = sum(sent(path) for path in files)
        browser.close()
    index = (site / "search" / "search_index.json").read_bytes()
    return weights, {"raw": len(index), "gzip": len(gzip.compress(index, mtime=0))}


LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_TIMINGS = {"tbt": "total-blocking-time", "lcp": "largest-contentful-paint", "cls": "cumulative-layout-shift"}


def lighthouse(base: str) -> dict[str, dict[str, float]]:
    """Lighthouse's four categories, the total blocking time and largest contentful paint (ms) and the cumulative
    layout shift, median of RUNS each, on LIGHTHOUSE_PAGES of the site served at ``base`` (deployed)."""
    # `make bench` installs it into node_modules (package-lock.json); EDITION_LIGHTHOUSE names another install.
    binary = Path(os.environ.get("EDITION_LIGHTHOUSE") or ROOT / "node_modules" / ".bin" / "lighthouse")
    if not binary.exists():
        return {}
    results = {}
    for name, url in LIGHTHOUSE_PAGES.items():
        runs = []
        for _ in range(RUNS):
            out = subprocess.run(
                [
                    str(binary),
                    base + url,
                    "--output=json",
                    "--quiet",
                    "--form-factor=mobile",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
                ],
                capture_output=True,
                text=True,
                env={**ENV, "CHROME_PATH": "/usr/bin/chromium"},
                timeout=300,
                check=False,
            )
            if out.returncode != 0:
                print(f"bench: lighthouse failed on {url or '/'}: {out.stderr[-800:]}", file=sys.stderr)
                continue
            report = json.loads(out.stdout)
            scores = {key: report["categories"][key]["score"] * 100 for key in report["categories"]}
            # What the performance score is made of where it falls short: timings as Lighthouse simulates them,
            # the layout shift as observed.
            timings = {key: report["audits"][audit]["numericValue"] for key, audit in LIGHTHOUSE_TIMINGS.items()}
            runs.append({**scores, **timings})
        if runs:
            results[name] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    return results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def serving(project: Path, log: Path, *, strict: bool = True) -> Iterator[Callable[[str, str], tuple[float, float]]]:
    """`mkdocs serve --strict` of ``project`` (without ``strict``, as its mkdocs.yml says) on a free port, its log
    written to ``log``; yields one touch's figures: seconds from rewriting a file (relative to the project) to the
    server answering for a page (its path) with a newer build, and of those the seconds MkDocs says that build took.
    A served page names its build (livereload's epoch); the time ends when the page comes back from a newer build
    than the one served before the touch."""
    port = free_port()
    with log.open("wb") as written:
        server = subprocess.Popen(
            [MKDOCS, "serve", *(["--strict"] if strict else []), "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=written,
            start_new_session=True,
        )

    def get(path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=120) as response:
            return str(response.read().decode("utf-8"))

    def epoch(page: str) -> int:
        found = LIVERELOAD_EPOCH.search(get(page))
        if found is None:
            raise SystemExit(f"bench: mkdocs serve's page {page} names no build (livereload script missing)")
        return int(found[1])

    def latency(touched: str, page: str) -> tuple[float, float]:
        # The previous rebuild settled, and the touch falls anywhere in the watcher's half-second polling cycle:
        # with a fixed pause, two servers touched in turn stay at nearly the same point of their cycles run after
        # run, and the median measures that point rather than the wait a writer meets.
        time.sleep(1.5 + random.uniform(0, SERVE_POLL))  # noqa: S311 (a pause, not a secret)
        before = epoch(page)
        built = len(BUILT_IN.findall(log.read_text(errors="replace")))
        started = time.perf_counter()
        path = project / touched
        path.write_bytes(path.read_bytes())
        while True:
            get(f"livereload/{before}/0")  # answers once a newer build is visible (or after a minute)
            if epoch(page) > before:
                served = time.perf_counter() - started
                builds = BUILT_IN.findall(log.read_text(errors="replace"))
                return served, sum(float(seconds) for seconds in builds[built:])

    try:
        started_serving(server, epoch, project)
        yield latency
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def started_serving(server: subprocess.Popen[bytes], epoch: Callable[[str], int], project: Path) -> None:
    """Once ``server`` answers with its first build (three minutes at most)."""
    deadline = time.monotonic() + 180
    while True:
        try:
            epoch("")
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"bench: mkdocs serve did not start in {project}") from None
            time.sleep(0.5)


# MkDocs 1.6's watcher looks at the files every half second (mkdocs/livereload, PollingObserver).
SERVE_POLL = 0.5
SERVE_RUNS = 7
# MkDocs' log line at the end of each build (mkdocs/commands/build.py): timed from on_config on, so it leaves out
# `mkdocs serve` reading mkdocs.yml again before each rebuild (mkdocs/commands/serve.py, get_config).
BUILT_IN = re.compile(r"Documentation built in ([0-9.]+) seconds")
SERVE_TOUCHES = (
    ("chapter", "docs/chapter-2.md", "chapter-2/"),
    ("data", "data/glossary.yml", "glossary/"),
)


def serve_rebuild_latencies(project: Path, stock: Path) -> dict[str, float]:
    """Seconds from touching one input to `mkdocs serve` serving the page rebuilt from it, median of SERVE_RUNS
    each: a chapter, and a data file (the glossary); the edition's and, side by side, stock Material's on the same
    Markdown (``stock``: it watches the same folders, so a data file rebuilds it too; not strict, as stock's build
    warns of the links our hooks make good), the two alternating. With each, ``<name>_build``: the median of what
    MkDocs reports its rebuild took; the rest is its watcher's wait and reading its configuration."""
    plain_config(stock, segmenter=False)
    samples: dict[str, list[float]] = {}
    logs = project.parent
    with (
        serving(project, logs / "serve-ours.log") as ours,
        serving(stock, logs / "serve-stock.log", strict=False) as theirs,
    ):
        for _ in range(SERVE_RUNS):
            for name, touched, page in SERVE_TOUCHES:
                for label, touch in ((name, ours), (f"stock_{name}", theirs)):
                    served, built = touch(touched, page)
                    samples.setdefault(label, []).append(served)
                    samples.setdefault(f"{label}_build", []).append(built)
    return {name: statistics.median(values) for name, values in samples.items()}


def pdf_and_epub(project: Path) -> dict[str, Any]:
    """`make pdf` as it runs (a strict build with EDITION_PDF=true, then edition.outputs.pdf): seconds and files;
    `make epub` the same way once edition/outputs/epub.py exists."""
    site = project.parent / (project.name + "-site")
    env = {**ENV, "EDITION_PDF": "true"}
    started = time.perf_counter()
    result = subprocess.run(
        [MKDOCS, "build", "--strict", "--site-dir", str(site)], cwd=project, env=env, capture_output=True, check=False
    )
    built = time.perf_counter()
    figures: dict[str, Any] = {"site": built - started}
    for kind, module, pattern in (
        ("pdf", "edition.outputs.pdf", "pdf/*.pdf"),
        ("epub", "edition.outputs.epub", "**/*.epub"),
    ):
        if not (ROOT / Path(*module.split("."))).with_suffix(".py").exists():
            continue
        if result.returncode != 0:
            raise SystemExit(f"bench: the {kind} build's site failed:\n{result.stderr.decode()[-3000:]}")
        started = time.perf_counter()
        timed([PYTHON, "-m", module, str(site)], project)
        figures[kind] = {
            "seconds": time.perf_counter() - started,
            "files": {p.name: p.stat().st_size for p in sorted(site.glob(pattern))},
        }
    return figures


def short(value: float, unit: str) -> str:
    """Three significant figures at most, so the table of builds stays narrow enough for a phone."""
    return f"{value:.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}" if value >= 10 else f"{value:.2f} {unit}"


def kib(n: int) -> str:
    return f"{n / 1024:.0f} KiB"


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--scales",
        default=",".join(map(str, SCALES)),
        help="the corpora to build, among 1,10,100, 1 always (default: all three). The ×100 builds take most of "
        "the run; leave them out on a busy machine, and the colophon says which corpora were built",
    )
    args = parser.parse_args(argv)
    try:
        scales = sorted({int(part) for part in args.scales.split(",")})
    except ValueError:
        parser.error(f"--scales {args.scales!r}: give numbers among {', '.join(map(str, SCALES))}, comma-separated")
    if 1 not in scales or not set(scales) <= set(SCALES):  # the book itself: the pages weighed and Lighthouse's
        parser.error(
            f"--scales {args.scales!r}: give numbers among {', '.join(map(str, SCALES))}, comma-separated, 1 among them"
        )
    args.scales = tuple(scales)
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    figures: dict[str, Any] = {"load": [os.getloadavg()[0]]}
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
        tmp_path = Path(tmp)
        # Results the builds keep between them (edition/cache.py) stay in the run's own directory, gone with it.
        ENV[CACHE_DIR_VARIABLE] = str(tmp_path / "cache")
        book = copy_book_inputs(tmp_path / "book")
        times: dict[str, dict[str, Any]] = {}
        for factor in args.scales:
            rounds = BUILD_ROUNDS[factor]
            print(f"bench: the book ×{factor}, {rounds} rounds of full/stock/like-for-like builds ...", file=sys.stderr)
            project = book if factor == 1 else copy_book_inputs(tmp_path / f"x{factor}")
            scale = counts(project) if factor == 1 else synthesize(project, factor)
            times[f"×{factor}"] = {**build_times(project, rounds), **scale}
        figures["builds"] = times
        with deployed(book, tmp_path / "deployed-site") as base:
            print("bench: first-visit weights ...", file=sys.stderr)
            figures["weights"], figures["search_index"] = page_weights(tmp_path / "deployed-site", base)
            print(f"bench: Lighthouse (median of {RUNS}) ...", file=sys.stderr)
            figures["lighthouse"] = lighthouse(base)
        print("bench: mkdocs serve rebuilds ...", file=sys.stderr)
        figures["serve"] = serve_rebuild_latencies(
            copy_book_inputs(tmp_path / "serve"), copy_book_inputs(tmp_path / "serve-stock")
        )
        print("bench: PDF (and EPUB) ...", file=sys.stderr)
        figures["books"] = pdf_and_epub(copy_book_inputs(tmp_path / "pdf"))
    figures["load"].append(os.getloadavg()[0])
    markdown = render(figures)
    print(markdown)
    write_colophon(markdown)
    return 0


def verdict(met: bool | None) -> str:
    if met is None:
        return "未测：语料中这一项不增长 · <span lang='en'>not measured: the corpus does not grow it</span>"
    return "达成 · met" if met else "**未达成 · missed**"


def lighthouse_table(pages: dict[str, dict[str, float]]) -> list[str]:
    # Pages down, six columns across: the theme gives every column at least 5rem, and a seventh made the table
    # scroll beside the contents on a desktop (a scrolling region keyboard users cannot reach fails axe). The three
    # categories that are all 100 share a column; the layout shift, a fraction where 0.1 is Lighthouse's limit of
    # good, is given below: its largest over the pages.
    def row(r: dict[str, float]) -> str:
        others = "/".join(f"{r[key]:.0f}" for key in LIGHTHOUSE_CATEGORIES[1:])
        return f"{r['performance']:.0f} | {others} | {r['tbt']:.0f} | {r['lcp']:.0f}"

    return [
        f"Lighthouse（手机 · mobile，{RUNS} 次中位数 · <span lang='en'>median of {RUNS}</span>）：",
        "",
        ("| 页面 · Page | 性能 · <span lang='en'>Perf.</span> | 无障碍/规范/SEO · A11y/BP/SEO | TBT (ms) | LCP (ms) |"),
        "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {name} | {row(r)} |" for name, r in pages.items()),
        "",
        (
            f"累计布局偏移，各页中最大 · <span lang='en'>Cumulative layout shift, the largest of the pages</span>: "
            f"{max(r['cls'] for r in pages.values()):.3f}。"
        ),
        "",
    ]


def not_built(builds: dict[str, Any]) -> list[str]:
    """A line naming the corpora that bench/run.py --scales left out, if any."""
    left_out = [f"×{factor}" for factor in SCALES if f"×{factor}" not in builds]
    if not left_out:
        return []
    return [
        f"本次未构建 · <span lang='en'>Not built this time (bench/run.py --scales)</span>: {', '.join(left_out)}。",
        "",
    ]


def render(f: dict[str, Any]) -> str:
    builds = f["builds"]
    scales = list(builds)

    def per(unit: str) -> Callable[[dict[str, Any]], str]:
        return lambda t: short(t["hooks"] / t[unit] * 1000, "ms") if t[unit] else "—"

    # Metrics down, corpora across: narrow enough for a phone without a scrolling table.
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("页 · Pages", lambda t: f"{t['pages']}"),
        ("引注 · Citations", lambda t: f"{t['citations']}"),
        ("术语链接 · <span lang='en'>Linked terms</span>", lambda t: f"{t['terms']}"),
        ("注释 · Annotations", lambda t: f"{t['annotations']}"),
        ("完整构建 · <span lang='en'>Full strict build</span>", lambda t: short(t["full"], "s")),
        ("无缓存的完整构建 · <span lang='en'>Full build, no cache</span>", lambda t: short(t["cold"], "s")),
        ("原版 Material · <span lang='en'>Stock Material</span>", lambda t: short(t["stock"], "s")),
        (f"倍数 · <span lang='en'>Ratio</span> (≤ {GOAL_VS_STOCK})", lambda t: f"{t['ratio_stock']:.2f}×"),
        ("同分词器 · <span lang='en'>Stock + our segmenter</span>", lambda t: short(t["like"], "s")),
        (
            f"同条件倍数 · <span lang='en'>Like-for-like</span> (≤ {GOAL_LIKE_FOR_LIKE})",
            lambda t: f"{t['ratio_like']:.2f}×",
        ),
        ("钩子自身用时 · <span lang='en'>Our hooks' own time</span>", lambda t: short(t["hooks"], "s")),
        ("钩子用时/引注 · <span lang='en'>per citation</span>", per("citations")),
        ("钩子用时/术语 · <span lang='en'>per linked term</span>", per("terms")),
        ("钩子用时/注释 · <span lang='en'>per annotation</span>", per("annotations")),
        (f"`make check` (≤ {GOAL_CHECK} s)", lambda t: f"{t['check']:.2f} s"),
    ]
    lines = [*not_built(builds), "| 语料 · Corpus | " + " | ".join(scales) + " |", "| --- |" + " ---: |" * len(scales)]
    lines += [f"| {label} | " + " | ".join(cell(t) for t in builds.values()) + " |" for label, cell in rows]

    goals: list[tuple[str, str, bool | None]] = []
    worst_stock = max(t["ratio_stock"] for t in builds.values())
    worst_like = max(t["ratio_like"] for t in builds.values())
    worst_check = max(t["check"] for t in builds.values())
    goals.append(
        (
            f"完整构建 ≤ {GOAL_VS_STOCK}× 原版 · full ≤ {GOAL_VS_STOCK}× stock",
            f"{worst_stock:.2f}×",
            worst_stock <= GOAL_VS_STOCK,
        )
    )
    goals.append(
        (f"同条件 ≤ {GOAL_LIKE_FOR_LIKE}× · like-for-like", f"{worst_like:.2f}×", worst_like <= GOAL_LIKE_FOR_LIKE)
    )
    goals.append((f"`make check` ≤ {GOAL_CHECK} s", f"{worst_check:.2f} s", worst_check <= GOAL_CHECK))
    before = scales[max(len(scales) - 2, 0)]
    small, large = builds[before], builds[scales[-1]]
    for unit, label in (("citations", "引注 citation"), ("terms", "术语 term"), ("annotations", "注释 annotation")):
        goal = f"钩子用时/{label} 平直 · <span lang='en'>flat</span> ({before} → {scales[-1]})"
        if not small[unit] or large[unit] <= small[unit]:
            # The synthetic pages are not article pages, which alone get term links: the count does not grow.
            goals.append((goal, f"{small[unit]} → {large[unit]}", None))
            continue
        growth = (large["hooks"] / large[unit]) / (small["hooks"] / small[unit])
        goals.append((goal, f"{growth:.2f}×", growth <= FLAT))

    lines += ["", "| 页面 · Page | 首次访问传输 · <span lang='en'>First visit (gzip)</span> |", "| --- | ---: |"]
    lines += [f"| `{url}` | {kib(n)} |" for url, n in f["weights"].items()]
    heaviest = max(f["weights"], key=f["weights"].get)
    goals.append(
        (
            f"首次访问 ≤ {kib(GOAL_FIRST_VISIT)} · <span lang='en'>first visit, every page</span>",
            f"{kib(f['weights'][heaviest])} (`{heaviest}`)",
            f["weights"][heaviest] <= GOAL_FIRST_VISIT,
        )
    )
    s = f["search_index"]
    lines += [
        "",
        (
            "搜索索引（读者打开搜索时才下载）· "
            "<span lang='en'>Search index, fetched when a reader opens search</span>: "
            f"{kib(s['raw'])}，gzip 后 · gzipped {kib(s['gzip'])}。"
        ),
        "",
    ]
    if f["lighthouse"]:
        pages = f["lighthouse"]
        lines += lighthouse_table(pages)
        lowest = min(r[key] for r in pages.values() for key in LIGHTHOUSE_CATEGORIES)
        goals.append(("Lighthouse 100/100/100/100", f"{lowest:.0f}", lowest >= GOAL_LIGHTHOUSE))
    else:
        not_run = "未测 · <span lang='en'>not run: no Lighthouse installed</span>"
        goals.append(("Lighthouse 100/100/100/100", not_run, False))
    serve = f["serve"]
    lines.append(
        "`mkdocs serve`：改动到新页面送出 · <span lang='en'>from touching a file to the new page served</span>: "
        f"一章 · a chapter {serve['chapter']:.2f} s，数据文件 · a data file (glossary.yml) {serve['data']:.2f} s；"
        "同一轮中原版 Material 的 · <span lang='en'>stock Material's, in the same run</span>: "
        f"{serve['stock_chapter']:.2f} s / {serve['stock_data']:.2f} s。"
        "其中 MkDocs 报告的重建本身 · <span lang='en'>of which the rebuild itself, as MkDocs reports it</span>: "
        f"{serve['chapter_build']:.2f} s / {serve['data_build']:.2f} s，原版 · stock "
        f"{serve['stock_chapter_build']:.2f} s / {serve['stock_data_build']:.2f} s"
        f"（其余是监视器每 {SERVE_POLL} 秒一次的轮询与等待，以及重读配置 · <span lang='en'>the rest is the watcher "
        f"polling every {SERVE_POLL} s and its wait, and reading the configuration again</span>）。"
    )
    for name, label in (("chapter", "一章 · chapter"), ("data", "数据 · data file")):
        goals.append((f"`mkdocs serve` {label} ≤ {GOAL_SERVE} s", f"{serve[name]:.2f} s", serve[name] <= GOAL_SERVE))
    books = f["books"]
    lines.append("")
    for kind, name in (("pdf", "PDF (`make pdf`)"), ("epub", "EPUB (`make epub`)")):
        if kind in books:
            files = "，".join(f"`{n}` {kib(size)}" for n, size in books[kind]["files"].items())
            seconds = f"{books['site']:.1f} s + {books[kind]['seconds']:.1f} s"
            lines.append(f"{name}：站点 + 生成 · <span lang='en'>site + making it</span> {seconds}；{files}。")
        else:
            lines.append(f"{name}：尚无 · <span lang='en'>not built yet</span>。")
        lines.append("")
    lines += [
        "测量时机器的负载（两核，一分钟平均，开始与结束）· "
        "<span lang='en'>The machine's load while measured (2 cores, 1-minute average, start and end)</span>: "
        + " / ".join(f"{load:.1f}" for load in f["load"])
        + "。",
        "",
    ]
    lines += ["| 目标 · Goal | 测得 · Measured | 结论 · Verdict |", "| --- | ---: | --- |"]
    lines += [f"| {goal} | {measured} | {verdict(met)} |" for goal, measured, met in goals]
    return "\n".join(lines)


def write_colophon(markdown: str) -> None:
    text = COLOPHON.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    COLOPHON.write_text(text[:start] + "\n\n" + markdown + "\n\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
