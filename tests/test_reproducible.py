"""Two clean builds of the same sources with the same SOURCE_DATE_EPOCH are byte for byte the same."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from book_inputs import copy_book_inputs
from conftest import build_site

# Today's midnight (UTC): a fixed date would, one day, come before a newly dated annotation or source,
# which the checks refuse as dated in the future.
SOURCE_DATE_EPOCH = str(int(time.time()) // 86400 * 86400)


def digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def test_the_build_date_reaches_the_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without this, the comparison above could pass only because no file depends on the date."""
    sites = []
    for epoch in (SOURCE_DATE_EPOCH, str(int(SOURCE_DATE_EPOCH) + 86400)):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        sites.append(digests_of_build(tmp_path / epoch))
    assert [name for name in sites[0] if sites[0][name] != sites[1].get(name)] != []


def digests_of_build(folder: Path) -> dict[str, str]:
    build_site(copy_book_inputs(folder / "project"), folder / "site")
    return digests(folder / "site")


def test_two_clean_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    # Different folders, so an absolute path leaking into the output shows up as a difference.
    first = copy_book_inputs(tmp_path / "one" / "project")
    second = copy_book_inputs(tmp_path / "second-checkout" / "book")
    build_site(first, tmp_path / "site-1")
    build_site(second, tmp_path / "site-2")
    one, two = digests(tmp_path / "site-1"), digests(tmp_path / "site-2")
    assert sorted(one) == sorted(two), "the two builds wrote different files"
    differ = [name for name in one if one[name] != two[name]]
    assert differ == [], f"these files differ between two builds: {differ}"
