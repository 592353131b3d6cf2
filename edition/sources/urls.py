"""Web addresses of cited sources: their form, and the dates many of them carry in their path.

Chinese official sites stamp a page's address with its publication date
(``…/202506/t20250605_11641950.shtml``, ``…/art/2025/art_….html``,
``…/202601/content_7054775.htm``), as do many news sites (``…/2025/11/13/…``). Those
dates are evidence a citation's date can be held to.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qsl, unquote, urlsplit

from edition.dates import PartialDate, real_date

# Query parameters that only say where a reader came from; a citation never needs them.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "spm",
        "share_token",
        "sharer_shareid",
        "sharer_sharetime",
        "scene",
        "srcid",
        "xtor",
    }
)
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


# -- hosts a citation may name --------------------------------------------------------------------------------

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Special-purpose blocks (the IANA registries, RFC 6890 and successors) that are not the public web.
# Our own table, not only the stdlib's is_private/is_global: their answers differ between Python
# releases (3.11 calls fec0::/10, 192.0.0.9 and 2002:7f00:1:: global), and the policy must not.
_NOT_PUBLIC: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "a 'this network' address (0.0.0.0/8)"),
    ("10.0.0.0/8", "a private-network address (10.0.0.0/8)"),
    ("100.64.0.0/10", "a shared carrier-grade NAT address (100.64.0.0/10)"),
    ("127.0.0.0/8", "a loopback address (this computer)"),
    ("169.254.0.0/16", "a link-local address (169.254.0.0/16, where cloud metadata services answer)"),
    ("172.16.0.0/12", "a private-network address (172.16.0.0/12)"),
    ("192.0.0.0/24", "a reserved protocol address (192.0.0.0/24)"),
    ("192.0.2.0/24", "a documentation address (192.0.2.0/24)"),
    ("192.88.99.0/24", "a reserved relay address (192.88.99.0/24)"),
    ("192.168.0.0/16", "a private-network address (192.168.0.0/16)"),
    ("198.18.0.0/15", "a benchmarking address (198.18.0.0/15)"),
    ("198.51.100.0/24", "a documentation address (198.51.100.0/24)"),
    ("203.0.113.0/24", "a documentation address (203.0.113.0/24)"),
    ("224.0.0.0/4", "a multicast address"),
    ("240.0.0.0/4", "a reserved address (240.0.0.0/4)"),
    ("::1/128", "a loopback address (this computer)"),
    ("64:ff9b:1::/48", "a local-use NAT64 address (64:ff9b:1::/48)"),
    ("100::/64", "a discard-only address (100::/64)"),
    ("2001::/23", "a reserved protocol address (2001::/23)"),
    ("2001:db8::/32", "a documentation address (2001:db8::/32)"),
    ("fc00::/7", "a private-network (unique local) address (fc00::/7)"),
    ("fe80::/10", "a link-local address (fe80::/10)"),
    ("fec0::/10", "a site-local address (fec0::/10)"),
    ("ff00::/8", "a multicast address"),
)
_NOT_PUBLIC_NETWORKS = tuple((ipaddress.ip_network(block), what) for block, what in _NOT_PUBLIC)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Names that only mean something on one computer or one private network (RFC 6761, RFC 8375, ICANN's .internal,
# and the suffixes intranets commonly use).
LOCAL_SUFFIXES = (
    "localhost",
    "localdomain",
    "local",
    "internal",
    "intranet",
    "lan",
    "home.arpa",
    "arpa",
    "invalid",
    "test",
    "example",
)
# Browsers read these as a dot in a host name (UTS #46 maps them to '.').
_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
_HEX_LABEL = re.compile(r"0[xX][0-9a-fA-F]*")
_OCTAL_LABEL = re.compile(r"0[0-7]*")


def address_refusal(address: IPAddress) -> str:
    """'' for an address on the public internet; otherwise what kind of address it is.

    IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d,
    6to4 2002:AABB:CCDD::) are judged by the IPv4 address they reach.
    """
    if address.is_unspecified:
        return "the unspecified address (it means this computer)"
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        inner = address_refusal(embedded)
        return f"an IPv6 form of {embedded}, {inner}" if inner else ""
    for network, what in _NOT_PUBLIC_NETWORKS:
        if address.version == network.version and address in network:
            return what
    return _special_address_kind(address)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (IPv4-mapped, NAT64, 6to4), if it carries one."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    return (
        address.ipv4_mapped
        or address.sixtofour
        or (ipaddress.IPv4Address(int(address) & 0xFFFFFFFF) if address in _NAT64 else None)
    )


def _special_address_kind(address: IPAddress) -> str:
    """What the standard library knows an address to be, if it is not a public one; else ''."""
    if address.is_loopback:
        return "a loopback address (this computer)"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private:
        return "a private-network address"
    if address.is_reserved or not address.is_global:
        return "a reserved address"
    return ""


def _ipv4_number(label: str) -> int | None:
    """One part of a numeric IPv4 host as browsers read it: decimal, 0-prefixed octal or 0x hex; None if not."""
    if _HEX_LABEL.fullmatch(label):
        return int(label[2:] or "0", 16)
    if not (label.isascii() and label.isdigit()):
        return None
    if len(label) > 1 and label.startswith("0"):
        return int(label, 8) if _OCTAL_LABEL.fullmatch(label) else None
    # More than 10 digits is past 2**32 anyway; int() of a few thousand would raise (Python's digit limit).
    return int(label) if len(label) <= 10 else 2**32


def numeric_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address a browser reads in ``host`` when its last label is a number (WHATWG URL: 127.1,
    2130706433, 0x7f.1, 0177.0.0.1 are all 127.0.0.1); None when ``host`` is a name. ValueError when it ends
    in a number but is no valid address (browsers refuse it)."""
    labels = host.split(".")
    if len(labels) > 1 and labels[-1] == "":
        labels.pop()
    last = labels[-1]
    if not (last.isascii() and last.isdigit()) and not _HEX_LABEL.fullmatch(last):
        return None
    numbers = [_ipv4_number(label) for label in labels]
    parts = [n for n in numbers if n is not None]
    if len(numbers) > 4 or len(parts) < len(numbers):
        raise ValueError(host)
    *head, tail = parts
    if any(n > 255 for n in head) or tail >= 256 ** (5 - len(parts)):
        raise ValueError(host)
    value = tail
    for index, number in enumerate(head):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def host_form(host: str) -> str:
    """``host`` as a browser reads it: percent-escapes decoded, full-width forms folded (NFKC), ideographic
    full stops as dots, lower case, one trailing dot dropped."""
    name = unicodedata.normalize("NFKC", unquote(host)).translate(_DOTS).lower()
    return name[:-1] if name.endswith(".") and len(name) > 1 else name


def host_refusal(host: str) -> str:
    """'' for a host a citation may name; otherwise what is wrong and what to do. No DNS: only what the name
    itself says (localhost, an IP address in a private or reserved range, a name with no domain)."""
    name = host_form(host)
    fix = "cite the page's public address"
    if name == "localhost" or name.endswith(".localhost"):
        return f"URL host '{host}' names this computer (localhost), not a page on the web; {fix}"
    address: IPAddress | None
    try:
        address = ipaddress.IPv6Address(name) if ":" in name else numeric_ipv4(name)
    except ValueError:
        kind = "IPv6" if ":" in name else "IP"
        return f"URL host '{host}' looks like an {kind} address but is no valid one; write the site's domain name"
    if address is not None:
        what = address_refusal(address)
        disguised = address.version == 4 and name != str(address)
        label = f"'{host}' (that is {address})" if disguised else f"'{host}'"
        if what:
            return f"URL host {label} is {what}, not a page on the public web; {fix}"
        if disguised:
            return f"URL host {label} is an IP address written in a disguised form; write the site's domain name"
        return ""
    if "." not in name:
        return (
            f"URL host '{host}' is a single name without a domain, which only means something inside one "
            "network; write the full domain name (e.g. www.example.org)"
        )
    suffix = next((s for s in LOCAL_SUFFIXES if name.endswith("." + s)), None)
    if suffix:
        return f"URL host '{host}' ends in '.{suffix}', a name used only on local or private networks; {fix}"
    return ""


def url_form_errors(url: str, *, http_reason: str = "") -> list[str]:
    """What is wrong with an address as written in a citation; each message says what to do."""
    errors = _written_form_errors(url)
    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        return [*errors, f"URL cannot be parsed ({exc}); copy the address again from the browser"]
    if not parts.scheme:
        errors.append("URL is not absolute; write the full address starting with https://")
        return errors
    return errors + _scheme_errors(parts.scheme, http_reason) + _host_errors(parts) + _tracking_errors(parts.query)


def _written_form_errors(url: str) -> list[str]:
    """Whitespace, backslashes, Markdown and punctuation that came along with the address."""
    errors: list[str] = []
    if url != url.strip() or re.search(r"\s", url):
        errors.append("URL contains whitespace; remove it (a line break inside a field?)")
    if "\\" in url:
        errors.append("URL contains a backslash (Markdown escape residue such as \\_); remove it")
    if re.search(r"\]\(|\)\[|^<|>$|^\[", url):
        errors.append("URL contains Markdown link syntax; keep only the address")
    if url and url[-1] in TRAILING_PUNCTUATION:
        errors.append(f"URL ends with '{url[-1]}', punctuation copied from the text; remove it")
    return errors


def _scheme_errors(scheme: str, http_reason: str) -> list[str]:
    if scheme == "http":
        return [] if http_reason else ["URL uses http; use https, or record why not in the field http-reason"]
    if scheme != "https":
        return [f"URL scheme '{scheme}' is not https"]
    return []


def _host_errors(parts: SplitResult) -> list[str]:
    errors: list[str] = []
    if not parts.hostname:
        errors.append("URL has no host; write the full address starting with https://")
    elif refusal := host_refusal(parts.hostname):
        errors.append(refusal)
    if parts.username or parts.password:
        errors.append("URL carries a user name or password; remove it")
    return errors


def _tracking_errors(query: str) -> list[str]:
    tracking = sorted(
        {
            name
            for name, _ in parse_qsl(query, keep_blank_values=True)
            if name.lower() in TRACKING_PARAMETERS or name.lower().startswith(TRACKING_PREFIXES)
        }
    )
    return [f"URL carries tracking parameter(s) {', '.join(tracking)}; remove them"] if tracking else []


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
