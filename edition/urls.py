"""Web addresses of cited sources: their form, and the dates many of them carry in their path.

Chinese official sites stamp a page's address with its publication date
(``…/202506/t20250605_11641950.shtml``, ``…/art/2025/art_….html``,
``…/202601/content_7054775.htm``), as do many news sites (``…/2025/11/13/…``). Those
dates are evidence a citation's date can be held to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from edition.dates import PartialDate, real_date

# Query parameters that only say where a reader came from; a citation never needs them.
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
    "_hsenc", "_hsmi", "spm", "share_token", "sharer_shareid", "sharer_sharetime", "scene", "srcid", "xtor",
})
TRACKING_PREFIXES = ("utm_",)
TRAILING_PUNCTUATION = ".,;:!?)]}>'\"。，；：！？）】」』、”’"


@dataclass(frozen=True)
class UrlDate:
    """A date read from an address: what it says, how precisely, and which pattern found it."""

    date: PartialDate
    pattern: str
    text: str

    @property
    def precision(self) -> str:
        return self.date.precision


# Each pattern: (name, regex over the path, precision). Years outside 1990–2099 are ids, not dates.
_Y = r"(?P<year>(?:199\d|20\d\d))"
_M = r"(?P<month>0[1-9]|1[0-2])"
_D = r"(?P<day>0[1-9]|[12]\d|3[01])"
URL_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Chinese government CMS (mfa.gov.cn, fmprc.gov.cn, most ministries): t20250605_11641950.shtml
    ("tYYYYMMDD_", re.compile(rf"/t{_Y}{_M}{_D}_\d+")),
    # news sites: /2025/11/13/
    ("/YYYY/MM/DD/", re.compile(rf"/{_Y}/{_M}/{_D}(?=/|$)")),
    # /2025-11-13/ or /20251113/ as a whole path segment
    ("/YYYY-MM-DD/", re.compile(rf"/{_Y}-{_M}-{_D}(?=[/._]|$)")),
    ("/YYYYMMDD/", re.compile(rf"/{_Y}{_M}{_D}(?=/|$)")),
    # a month folder: mfa.gov.cn /202506/, gov.cn /202601/content_7054775.htm
    ("/YYYYMM/", re.compile(rf"/{_Y}{_M}(?=/)")),
    ("/YYYY-MM/", re.compile(rf"/{_Y}-{_M}(?=/)")),
    # news sites: /2025/11/ (not followed by a day; that is the pattern above)
    ("/YYYY/MM/", re.compile(rf"/{_Y}/{_M}(?=/)(?!/(?:0[1-9]|[12]\d|3[01])(?:/|$))")),
    # mofcom.gov.cn: /art/2025/art_….html
    ("art/YYYY/", re.compile(rf"/art/{_Y}(?=/)")),
)


def url_dates(url: str) -> list[UrlDate]:
    """Every date the address's path carries, with its precision and the pattern that found it.

    Only the path is read (never the host or query, where numbers are ids). Digits that are
    no real calendar date (t20251340_…) are not a date.
    """
    try:
        path = urlsplit(url).path
    except ValueError:
        return []
    found: list[UrlDate] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in URL_DATE_PATTERNS:
        for match in pattern.finditer(path):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            groups = match.groupdict()
            year, month, day = int(groups["year"]), groups.get("month"), groups.get("day")
            date = real_date(year, int(month) if month else None, int(day) if day else None)
            if date is None:
                continue
            taken.append(match.span())
            found.append(UrlDate(date, name, match.group(0)))
    found.sort(key=lambda d: path.find(d.text))
    return found



def url_form_errors(url: str, *, http_reason: str = "") -> list[str]:
    """What is wrong with an address as written in a citation; each message says what to do."""
    errors: list[str] = []
    if url != url.strip() or re.search(r"\s", url):
        errors.append("URL contains whitespace; remove it (a line break inside a field?)")
    if "\\" in url:
        errors.append("URL contains a backslash (Markdown escape residue such as \\_); remove it")
    if re.search(r"\]\(|\)\[|^<|>$|^\[", url):
        errors.append("URL contains Markdown link syntax; keep only the address")
    if url and url[-1] in TRAILING_PUNCTUATION:
        errors.append(f"URL ends with '{url[-1]}', punctuation copied from the text; remove it")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError as exc:
        return errors + [f"URL cannot be parsed ({exc}); copy the address again from the browser"]
    if not parts.scheme:
        errors.append("URL is not absolute; write the full address starting with https://")
        return errors
    if parts.scheme == "http":
        if not http_reason:
            errors.append("URL uses http; use https, or record why not in the field http-reason")
    elif parts.scheme != "https":
        errors.append(f"URL scheme '{parts.scheme}' is not https")
    if not parts.hostname:
        errors.append("URL has no host; write the full address starting with https://")
    elif "." not in parts.hostname and parts.hostname != "localhost":
        errors.append(f"URL host '{parts.hostname}' is not a domain name")
    if parts.username or parts.password:
        errors.append("URL carries a user name or password; remove it")
    tracking = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)
                       if name.lower() in TRACKING_PARAMETERS or name.lower().startswith(TRACKING_PREFIXES)})
    if tracking:
        errors.append(f"URL carries tracking parameter(s) {', '.join(tracking)}; remove them")
    return errors


def normalized(url: str) -> str:
    """An address as compared for duplicates: any scheme, case-folded host, no fragment, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    path = parts.path.rstrip("/") or "/"
    query = f"?{parts.query}" if parts.query else ""
    # http and https name the same page.
    return f"{(parts.netloc or '').lower()}{path}{query}"
