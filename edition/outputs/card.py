"""The article's card, drawn with Pillow in Noto Serif CJK SC (Debian's fonts-noto-cjk, no network): the EPUB's
cover (1200×1800) and the site's social image (1200×630, what a link preview shows: og:image). The same words
on both: the journal and issue, the title, the author, and that this is the web edition."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from edition.problems import EditionError, Problem

# Noto Serif CJK from Debian's fonts-noto-cjk (scripts/install-system-packages.sh), its Simplified Chinese face.
FONT_COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
FONT_FAMILY = "Noto Serif CJK SC"
SOCIAL_IMAGE = "assets/images/social-card.png"  # in the site, linked from og:image

Colour = tuple[int, int, int]
BACKGROUND: Colour = (250, 247, 240)
ACCENT: Colour = (120, 30, 30)
GREY: Colour = (90, 90, 90)
INK: Colour = (30, 30, 30)


@dataclass(frozen=True)
class Layout:
    """Where each line goes on a card, in pixels: the top of each line and its font size."""

    width: int
    height: int
    margin: int
    border: int
    journal: tuple[int, int]
    title: tuple[int, int, int]  # top of the first line, size, distance between lines
    author: tuple[int, int]
    edition: tuple[int, int]


COVER = Layout(1200, 1800, 60, 6, (240, 48), (560, 110, 150), (1020, 64), (1480, 48))
SOCIAL = Layout(1200, 630, 30, 4, (70, 36), (165, 84, 115), (420, 48), (520, 32))


def face_index(collection: Path, family: str = FONT_FAMILY) -> int:
    """The number of ``family``'s face in the font collection; a clear problem if the font is not installed."""
    if not collection.is_file():
        raise EditionError(
            [Problem(collection.as_posix(), None, None, "not found; install fonts-noto-cjk (see README)")]
        )
    for number in range(64):
        try:
            name, _style = ImageFont.truetype(str(collection), 12, index=number).getname()
        except OSError:
            break
        if name == family:
            return number
    raise EditionError(
        [Problem(collection.as_posix(), None, None, f"no face named {family!r}; install fonts-noto-cjk")]
    )


def card_png(article: Mapping[str, Any], layout: Layout, collection: Path = FONT_COLLECTION) -> bytes:
    """The card as PNG bytes, the same for the same article and fonts (no date or other metadata is written)."""
    index = face_index(collection)
    width, height, m = layout.width, layout.height, layout.margin
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((m, m, width - m, height - m), outline=ACCENT, width=layout.border)
    bold = collection.with_name("NotoSerifCJK-Bold.ttc")
    title_font_file = bold if bold.is_file() else collection

    def centred(text: str, y: int, size: int, file: Path = collection, colour: Colour = INK) -> None:
        font = ImageFont.truetype(str(file), size, index=index)
        left, _top, right, _bottom = draw.textbbox((0, 0), text, font=font)
        draw.text(((width - (right - left)) / 2, y), text, font=font, fill=colour)

    journal = article["journal"]["zh"]
    centred(f"《{journal}》{article['year']}年第{article['issue']}期", *layout.journal, colour=GREY)
    top, size, step = layout.title
    for number, line in enumerate(title_lines(article["title"]["zh"])):
        centred(line, top + number * step, size, title_font_file, ACCENT)
    centred(article["author"]["zh"], *layout.author)
    centred("网络校勘本", *layout.edition, colour=GREY)
    out = io.BytesIO()
    # zlib level 6 (Pillow's default): optimize=True tried harder for 3% fewer bytes and took 0.25 s of every build
    # and every rebuild of `mkdocs serve`; the card is fetched only by link previews.
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def title_lines(title: str, most: int = 8) -> list[str]:
    """The title in lines of at most ``most`` characters, broken after 与 when it has one (the title's halves)."""
    if len(title) <= most:
        return [title]
    cut = title.find("与") + 1 if 0 < title.find("与") < most else most
    return [title[:cut], *title_lines(title[cut:], most)]
