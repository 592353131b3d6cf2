"""`make bench`: how fast the edition builds and how light its pages are; writes docs/colophon.md's figures.

Everything runs on this machine against copies in a temporary folder; nothing in the
project changes except the figures block of docs/colophon.md. Not a test: the figures
are printed and written for readers, and goals are reported, never asserted.
"""

from __future__ import annotations

import gzip
import json
import os
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from edition.outputs.epub import FONT_FILE
from edition.paths import BOOK_EPUB
from edition.sources.citations import find_citation_blocks
from edition.text.markers import MARKER

if TYPE_CHECKING:
    from playwright.sync_api import Response

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from book_inputs import CHROMIUM_ARGS, copy_book_inputs  # noqa: E402 (the tests' helper: importable once tests/ is on the path)
from static_server import COMPRESSIBLE, serve  # noqa: E402 (as above)

BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python")
MKDOCS = str(BIN / "mkdocs")
COLOPHON = ROOT / "docs" / "colophon.md"
BEGIN, END = "<!-- bench:figures:begin -->", "<!-- bench:figures:end -->"
# Python writes its bytecode as on any machine (some sandboxes set PYTHONDONTWRITEBYTECODE, which would
# have every build recompile the edition's modules while the plain build's libraries come compiled).
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "NO_MKDOCS_2_WARNING": "1",
    "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", str(int(time.time()))),
}
LIGHTHOUSE_PAGES = {"首页 front page": "", "第二章 chapter 2": "chapter-2/", "大事记 timeline": "timeline/"}
RUNS = 3
# Full and plain builds alternate, and the ratio is the median over the pairs: on a shared 2-core
# machine the speed drifts by a third within minutes, which timing one kind after the other would count.
BUILD_PAIRS = 7


def plain_config(project: Path) -> None:
    """The same Markdown and theme, without our hooks, mkdocs-bibtex or strict validation.

    The plain build keeps one hook, hooks/theme_cache.py, which only keeps Material's compiled
    templates between builds: the ratio then counts what the edition adds, not a cache it shares.
    """
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"\nhooks:\n(?:  - .*\n)+", "\nhooks:\n  - hooks/theme_cache.py\n", text)
    text = re.sub(r"\n  - bibtex:\n(?:      .*\n)+", "\n", text)
    text = text.replace("strict: true", "strict: false")
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed


def median_time(command: list[str], cwd: Path) -> float:
    return statistics.median(timed(command, cwd) for _ in range(RUNS))


def build_times(project: Path) -> dict[str, float]:
    """Full strict and plain builds after one untimed warm-up of each (bytecode, jieba's and Jinja's caches
    in place, as after any first build), alternated; medians, and the median of the pairs' ratios."""
    site = project.parent / (project.name + "-site")
    plain = copy_book_inputs(project.parent / (project.name + "-plain"), origin=project)
    plain_config(plain)
    full_build = [MKDOCS, "build", "--strict", "--site-dir", str(site)]
    plain_build = [MKDOCS, "build", "--site-dir", str(site) + "-plain"]
    timed(full_build, project), timed(plain_build, plain)
    pairs = [(timed(full_build, project), timed(plain_build, plain)) for _ in range(BUILD_PAIRS)]
    return {
        "full": statistics.median(f for f, _ in pairs),
        "plain": statistics.median(p for _, p in pairs),
        "ratio": statistics.median(f / p for f, p in pairs),
        "check": median_time([PYTHON, "-m", "edition.outputs.check", str(project)], project),
        "hooks": statistics.median(hook_time(project) for _ in range(RUNS)),
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
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("\nnav:\n", "\nnot_in_nav: |\n  /synthetic/\nnav:\n", 1),
        encoding="utf-8",
    )
    return {"pages": len(list(docs.rglob("*.md"))), "citations": count_citations(project)}


def count_citations(project: Path) -> int:
    """Citation blocks (one note each) in the project's pages, read as the build reads them."""
    return sum(len(find_citation_blocks(p.read_text(encoding="utf-8"))) for p in (project / "docs").rglob("*.md"))


def page_weights(site: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Bytes a first visit transfers per page (gzip where a host compresses), and the search index."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (only this figure needs a browser)

    weights = {}
    with serve(site, compress=True) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for html in sorted(site.rglob("index.html")):
            url = html.parent.relative_to(site).as_posix()
            url = "" if url == "." else url + "/"
            context = browser.new_context()
            page = context.new_page()
            seen: dict[str, int] = {}

            def record(response: Response, seen: dict[str, int] = seen) -> None:
                if response.url.startswith(base) and response.status == 200:
                    body = response.body()
                    compressible = response.url.split("?")[0].endswith(COMPRESSIBLE) or response.url.endswith("/")
                    seen[response.url] = len(gzip.compress(body, mtime=0)) if compressible else len(body)

            page.on("response", record)
            page.goto(base + url, wait_until="networkidle")
            weights[url or "/"] = sum(seen.values())
            context.close()
        browser.close()
    index = (site / "search" / "search_index.json").read_bytes()
    return weights, {"raw": len(index), "gzip": len(gzip.compress(index, mtime=0))}


def lighthouse(site: Path) -> dict[str, dict[str, float]]:
    binary = ROOT / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        return {}
    results = {}
    with serve(site, compress=True) as base:
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
                runs.append({key: report["categories"][key]["score"] * 100 for key in report["categories"]})
            if runs:
                results[name] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    return results


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def serve_rebuild_latency(project: Path) -> float:
    """From touching a chapter to `mkdocs serve` having rebuilt the site, median of RUNS."""
    port = free_port()
    server = subprocess.Popen(
        [MKDOCS, "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    latencies = []
    lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def read() -> None:
        # Each line with the moment it arrived, so a late line of an earlier rebuild is never
        # taken for the end of the next one.
        assert server.stdout is not None
        for line in server.stdout:
            lines.put((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()
    try:
        while "Serving on" not in lines.get(timeout=120)[1]:
            pass
        chapter = project / "docs" / "chapter-2.md"
        for _ in range(RUNS):
            time.sleep(1.5)
            while not lines.empty():
                lines.get_nowait()
            started = time.perf_counter()
            chapter.write_text(chapter.read_text(encoding="utf-8"), encoding="utf-8")
            while True:
                arrived, line = lines.get(timeout=120)
                if arrived >= started and ("Reloading browsers" in line or "Documentation built" in line):
                    latencies.append(arrived - started)
                    break
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    return statistics.median(latencies) if latencies else float("nan")


def epub_figures(site: Path, project: Path) -> dict[str, float]:
    """`make epub` on the built site: its time (median of 3), the file's size and the embedded font's."""
    seconds = median_time([PYTHON, "-m", "edition.outputs.epub", str(site)], project)
    path = site / "epub" / BOOK_EPUB
    with zipfile.ZipFile(path) as archive:
        font = archive.getinfo(f"OEBPS/{FONT_FILE}").file_size
    return {"seconds": seconds, "size": path.stat().st_size, "font": font}


def kib(n: int) -> str:
    return f"{n / 1024:.0f} KiB"


def main() -> int:
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
        tmp_path = Path(tmp)
        book = copy_book_inputs(tmp_path / "book")
        citations = count_citations(book)
        print(f"bench: building the book ({BUILD_PAIRS} full/plain pairs) ...", file=sys.stderr)
        times = {"×1": {**build_times(book), "citations": citations, "pages": len(list((book / "docs").rglob("*.md")))}}
        for factor in (10, 100):
            print(f"bench: synthetic corpus ×{factor} ...", file=sys.stderr)
            scaled = copy_book_inputs(tmp_path / f"x{factor}")
            counts = synthesize(scaled, factor)
            times[f"×{factor}"] = {**build_times(scaled), **counts}
        figures["builds"] = times
        site = tmp_path / "book-site"
        print("bench: page weights ...", file=sys.stderr)
        figures["weights"], figures["search_index"] = page_weights(site)
        print("bench: Lighthouse (median of 3) ...", file=sys.stderr)
        figures["lighthouse"] = lighthouse(site)
        print("bench: make epub (median of 3) ...", file=sys.stderr)
        figures["epub"] = epub_figures(site, book)
        print("bench: mkdocs serve rebuild ...", file=sys.stderr)
        figures["serve_rebuild"] = serve_rebuild_latency(copy_book_inputs(tmp_path / "serve"))
    markdown = render(figures)
    print(markdown)
    write_colophon(markdown)
    return 0


def render(f: dict[str, Any]) -> str:
    builds = f["builds"]
    # Metrics down, corpora across: narrow enough for a phone without a scrolling table.
    rows = [
        ("页 · Pages", lambda t: f"{t['pages']}"),
        ("引注 · Citations", lambda t: f"{t['citations']}"),
        ("完整构建 · <span lang='en'>Full strict build</span>", lambda t: f"{t['full']:.2f} s"),
        ("纯 Material · <span lang='en'>Plain Material</span>", lambda t: f"{t['plain']:.2f} s"),
        ("倍数 · Ratio (≤ 1.15)", lambda t: f"{t['ratio']:.2f}×"),
        (
            "钩子自身用时 · <span lang='en'>Our hooks' own time</span>",
            lambda t: f"{t['hooks']:.2f} s ({t['hooks'] / t['plain'] * 100:.0f}%)",
        ),
        (
            "钩子用时/引注 · <span lang='en'>Hooks' time per citation</span>",
            lambda t: f"{t['hooks'] / t['citations'] * 1000:.1f} ms",
        ),
        ("`make check` (≤ 0.5 s)", lambda t: f"{t['check']:.2f} s"),
    ]
    lines = ["| 语料 · Corpus | " + " | ".join(builds) + " |", "| --- |" + " ---: |" * len(builds)]
    lines += [f"| {label} | " + " | ".join(cell(t) for t in builds.values()) + " |" for label, cell in rows]
    if "×10" in f["builds"] and "×100" in f["builds"]:
        # What each added citation costs the hooks, ×10 → ×100, fixed costs aside. From the hooks' own time,
        # measured inside one process: a difference of two whole-build differences drowns in the machine's noise.
        small, large = f["builds"]["×10"], f["builds"]["×100"]
        added = (large["hooks"] - small["hooks"]) / (large["citations"] - small["citations"])
        lines += [
            "",
            (
                "每多一条引注，钩子多用 · <span lang='en'>Marginal hook time per added citation (×10 → ×100)</span>: "
                f"{added * 1000:.2f} ms。"
            ),
        ]
    lines += ["", "| 页面 · Page | 首次访问传输 · <span lang='en'>First visit (gzip)</span> |", "| --- | ---: |"]
    lines += [f"| `{url}` | {kib(n)} |" for url, n in f["weights"].items()]
    s = f["search_index"]
    lines += [
        "",
        f"搜索索引 · <span lang='en'>Search index</span>: {kib(s['raw'])}，gzip 后 · gzipped {kib(s['gzip'])}。",
        "",
    ]
    if f["lighthouse"]:
        pages = f["lighthouse"]
        lines += [
            "Lighthouse（手机 · mobile，三次中位数 · <span lang='en'>median of 3</span>）：",
            "",
            "| 类别 · Category | " + " | ".join(pages) + " |",
            "| --- |" + " ---: |" * len(pages),
        ]
        for key, label in (
            ("performance", "Performance (≥ 95)"),
            ("accessibility", "Accessibility (100)"),
            ("best-practices", "Best Practices (100)"),
            ("seo", "SEO (100)"),
        ):
            lines.append(f"| {label} | " + " | ".join(f"{r[key]:.0f}" for r in pages.values()) + " |")
        lines.append("")
    if f.get("epub"):
        e = f["epub"]
        lines += [
            (
                f"EPUB（`make epub`）：生成 · <span lang='en'>made in</span> {e['seconds']:.1f} s，"
                f"文件 · <span lang='en'>file</span> {kib(e['size'])}，"
                f"其中字体子集 · <span lang='en'>of which the font subset</span> {kib(e['font'])}。"
            ),
            "",
        ]
    lines.append(
        "`mkdocs serve` 改动一章后重建 · <span lang='en'>rebuild after touching one chapter</span>: "
        f"{f['serve_rebuild']:.2f} s。"
    )
    return "\n".join(lines)


def write_colophon(markdown: str) -> None:
    text = COLOPHON.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    COLOPHON.write_text(text[:start] + "\n\n" + markdown + "\n\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
