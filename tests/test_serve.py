"""`make serve` as a contributor uses it: an edit to any input rebuilds the book, a mistake is reported with its
file and line, and the server recovers as soon as the mistake is fixed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from attacks import VALID_ANNOTATION
from book_inputs import copy_book_inputs

# Background reading the text does not cite (keywords: background), so the checks accept it uncited.
BACKGROUND_SOURCE = """
@online{serve-test-background,
  title        = {Background reading added while the server runs},
  organization = {Example Research Centre},
  date         = {2025-06-05},
  url          = {https://example.org/reports/serve-test-background},
  langid       = {english},
  keywords     = {media, background},
}
"""
WAIT = 90.0  # seconds for one (re)build on a loaded 2-core machine; a build takes about 6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, project: Path, log: Path):
        self.port = free_port()
        self.log = log
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "mkdocs"),
                "serve",
                "--strict",
                "--dev-addr",
                f"127.0.0.1:{self.port}",
            ],
            cwd=project,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )

    def page(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=10) as response:
            return str(response.read().decode("utf-8"))

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, what: str, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"mkdocs serve stopped:\n{self.output()}"
            try:
                if ready():
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.5)
        pytest.fail(f"mkdocs serve: {what} within {WAIT:.0f} s; its output:\n{self.output()}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    project = copy_book_inputs(tmp_path / "project")
    running = Server(project, tmp_path / "serve.log")
    try:
        yield running, project
    finally:
        running.process.terminate()
        running.process.wait(timeout=20)


def test_serve_rebuilds_on_every_input_and_recovers_after_a_mistake(server: tuple[Server, Path]) -> None:
    serve, project = server
    serve.wait_for("the first build", lambda: "Scott Bessent" in serve.page("glossary/"))

    # An annotation added in annotations/ shows on the annotations page.
    (project / "annotations" / "p2-4-serve-test.md").write_text(VALID_ANNOTATION, encoding="utf-8")
    serve.wait_for("a rebuild after a new annotation", lambda: "p2-4-serve-test" in serve.page("annotations/"))

    # A mistake in a data file is reported with its file and line; the last good site is still served.
    glossary = project / "data" / "glossary.yml"
    good = glossary.read_text(encoding="utf-8")
    glossary.write_text(good.replace("en: Scott Bessent", "en: Scott: Bessent", 1), encoding="utf-8")
    line = next(n for n, text in enumerate(good.splitlines(), 1) if "en: Scott Bessent" in text)
    serve.wait_for("the mistake reported", lambda: f"data/glossary.yml:{line}:" in serve.output())

    # Fixed, the next build goes through and the page shows the fix.
    glossary.write_text(good.replace("en: Scott Bessent", "en: Scott K. Bessent", 1), encoding="utf-8")
    serve.wait_for("recovery once fixed", lambda: "Scott K. Bessent" in serve.page("glossary/"))

    # refs.bib is an input too: a source added there appears on the references page.
    bib = project / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + BACKGROUND_SOURCE, encoding="utf-8")
    serve.wait_for("a rebuild after refs.bib changed", lambda: "serve-test-background" in serve.page("references/"))
