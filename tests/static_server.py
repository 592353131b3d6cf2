"""A built site served on 127.0.0.1 as a static host would serve it, for the browser tests and the benchmark."""

from __future__ import annotations

import gzip
import http.server
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from io import BytesIO
from pathlib import Path

# What a static host compresses; images and fonts are already compressed.
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics", ".csv", ".jsonld", ".map")


# How long a file served as slow takes: a slow connection, against which the rest of the page arrives first.
SLOW_SECONDS = 2.0


class _Handler(http.server.SimpleHTTPRequestHandler):
    compress = False
    slow: tuple[str, ...] = ()

    def log_message(self, format: str, *args: object) -> None:  # the test output stays readable
        pass

    def end_headers(self) -> None:
        # Every request reaches the files: a cached answer would hide a missing file from the tests.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        if self.slow and self.path.split("?")[0].endswith(self.slow):
            time.sleep(SLOW_SECONDS)
        if not self.compress or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            not path.is_file()
            or not path.name.endswith(COMPRESSIBLE)
            or not self.path.split("?")[0].endswith(("/", path.name))
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return BytesIO(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        # A browser that moves on mid-download closes the connection; that is not a failure.
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


@contextmanager
def serving(server: http.server.HTTPServer) -> Iterator[str]:
    """Run ``server`` (bound to 127.0.0.1) in a thread; yields its base URL, without a final '/'."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve(root: Path, *, compress: bool = False, slow: tuple[str, ...] = ()) -> Iterator[str]:
    """Serve ``root`` on a free port of 127.0.0.1; yields the base URL ending in '/'. Paths ending in one of
    ``slow`` are answered SLOW_SECONDS late."""
    handler = type("Handler", (_Handler,), {"compress": compress, "slow": slow})
    with serving(_Server(("127.0.0.1", 0), partial(handler, directory=str(root)))) as base:
        yield base + "/"
