"""The glossary's pinyin held to pypinyin's reading of the Chinese, syllable by syllable.

pypinyin reads each character of a term in the context of its phrase dictionary (which settles most
polyphones: 中期 zhōngqī, 一个 yí gè). The glossary's pinyin must spell the same syllables with the same
tones, in the same order; capitals, spaces, hyphens and apostrophes are the glossary's word division and
are not compared. Where pypinyin is wrong for a term (a name, a polyphone it reads otherwise), the entry
records a reviewed exception: the character, the reading the glossary gives it, and why. An exception
that accepts nothing is reported, so none outlives its reason.

Numbers are read out: digit by digit (301 → sān-líng-yī, 2026 → èr-líng-èr-liù) or, below 100, as a
number (50 → wǔshí); a percentage reads 百分之 first (50% → bǎi fēn zhī wǔshí). Latin letters (H200)
stay as written.

pypinyin's phrase dictionaries take a third of a second to import, longer than all of ``make check``'s own
work. The readings of the glossary's terms are therefore kept in edition/reference/pinyin_readings.py,
written by ``python -m edition.reference.pinyin`` and held to pypinyin by tests/test_glossary_review.py;
a run of characters not in it (a term added since) is read by pypinyin, imported then. The table only
saves time: it never answers for a run it does not hold.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from edition.reference.pinyin_readings import READINGS

HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
UNITS = re.compile(r"(?P<han>[\u3400-\u9fff]+)|(?P<latin>[A-Za-z][A-Za-z0-9]*)|(?P<number>[0-9]+)(?P<percent>%?)")
DIGITS = ["líng", "yī", "èr", "sān", "sì", "wǔ", "liù", "qī", "bā", "jiǔ"]


@dataclass(frozen=True)
class PinyinException:
    hanzi: str  # one character of the term
    reading: str  # the syllable the glossary gives it, with its tone mark
    reason: str


@dataclass(frozen=True)
class Unit:
    """A piece of the term and the spellings that read it: one for a character, several for a number."""

    text: str
    readings: tuple[str, ...]
    han: bool = False


def letters(pinyin: str) -> str:
    """The pinyin's letters with their tone marks, lower case, without word division."""
    text = unicodedata.normalize("NFC", pinyin.lower())
    return "".join(c for c in text if c.isalnum())


def toneless(pinyin: str) -> str:
    """``Lǔbǐ'ào`` → ``lubiao``; ü stays ü."""
    decomposed = unicodedata.normalize("NFD", pinyin)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u0308")
    return unicodedata.normalize("NFC", kept)


def _number(digits: str) -> tuple[str, ...]:
    by_digit = "".join(DIGITS[int(d)] for d in digits)
    if len(digits) != 2 or digits.startswith("0"):  # never int() a long run: Python refuses 4,300 digits
        return (by_digit,)
    tens, ones = divmod(int(digits), 10)
    spoken = ("" if tens == 1 else DIGITS[tens]) + "shí" + (DIGITS[ones] if ones else "")
    return tuple(dict.fromkeys((spoken, by_digit)))


def units(zh: str) -> list[Unit]:
    """The term's characters with pypinyin's reading, its numbers and Latin words; punctuation is not read."""
    out: list[Unit] = []
    for found in UNITS.finditer(zh):
        if found.group("han"):
            run = found.group("han")
            syllables = READINGS.get(run) or pypinyin_reading(run)
            out += [Unit(c, (letters(s),), han=True) for c, s in zip(run, syllables, strict=True)]
        elif found.group("latin"):
            out.append(Unit(found.group("latin"), (letters(found.group("latin")),)))
        else:
            readings = _number(found.group("number"))
            if found.group("percent"):
                readings = tuple("bǎifēnzhī" + r for r in readings)
            out.append(Unit(found.group(0), readings))
    return out


def pypinyin_reading(run: str) -> tuple[str, ...]:
    """pypinyin's reading of a run of Han characters, one syllable per character, with tone marks."""
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415 (a third of a second; only for a run not in READINGS)

    syllables = lazy_pinyin(run, style=Style.TONE, errors="ignore")
    if len(syllables) != len(run):  # pypinyin reads one syllable per character; never otherwise
        syllables = [lazy_pinyin(c, style=Style.TONE)[0] for c in run]
    return tuple(syllables)


def han_runs(texts: Iterable[str]) -> list[str]:
    """The runs of Han characters in ``texts``, each once, sorted."""
    return sorted({run for text in texts for run in HAN_RUN.findall(text)})


def readings_module(runs: Iterable[str]) -> str:
    """The source of edition/reference/pinyin_readings.py: pypinyin's reading of each run."""
    lines = [
        '"""pypinyin\'s reading of each run of Han characters in the glossary\'s terms (edition/reference/pinyin.py).',
        "",
        "Written by ``python -m edition.reference.pinyin``; tests/test_glossary_review.py holds every reading to",
        "pypinyin's. Do not edit by hand.",
        '"""',
        "",
        "from types import MappingProxyType",
        "",
        "READINGS = MappingProxyType(",
        "    {",
        *(f"        {_quoted(run)}: {_tuple(pypinyin_reading(run))}," for run in runs),
        "    }",
        ")",
        "",
    ]
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return '"' + text + '"'  # Han characters and pinyin letters only: nothing to escape


def _tuple(syllables: tuple[str, ...]) -> str:
    """As ruff formats it: one element keeps its comma, more have none after the last."""
    inner = ", ".join(_quoted(s) for s in syllables)
    return f"({inner},)" if len(syllables) == 1 else f"({inner})"


def _continues(written: str, position: int, reading: str) -> bool:
    return written.startswith(reading, position)


def check_pinyin(zh: str, pinyin: str, exceptions: list[PinyinException]) -> tuple[str | None, set[int]]:
    """The first disagreement between ``pinyin`` and pypinyin's reading of ``zh`` (None when they agree), and
    the indexes of the exceptions used."""
    written, position, used = letters(pinyin), 0, set()
    for number, unit in enumerate(units(zh), start=1):
        reading = next((r for r in unit.readings if _continues(written, position, r)), None)
        if reading is None and unit.han:
            for index, exception in enumerate(exceptions):
                own = letters(exception.reading)
                if exception.hanzi == unit.text and _continues(written, position, own):
                    reading = own
                    used.add(index)
                    break
        if reading is None:
            return _disagreement(zh, unit, number, written[position:]), used
        position += len(reading)
    if position < len(written):
        return f"the pinyin goes on after the last character of {zh}: '{written[position:]}'; remove it", used
    return None, used


def _disagreement(zh: str, unit: Unit, number: int, rest: str) -> str:
    expected = " or ".join(unit.readings)
    if not unit.han:
        written, reading = _shortened(unit.text), _shortened(expected)
        return f"'{written}' in the term reads {reading}, but the pinyin has '{rest[:12]}' there; spell it out"
    what = "the tone differs" if toneless(rest).startswith(toneless(unit.readings[0])) else "the syllable differs"
    return (
        f"{what} at {unit.text} (character {number} of {zh}): pypinyin reads {expected}, the pinyin has "
        f"'{rest[: len(unit.readings[0]) + 2]}…'; correct the pinyin, or if it is right, record why under "
        f"pinyin_exceptions: {{hanzi: {unit.text}, reading: …, reason: …}}"
    )


def _shortened(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def search_forms(pinyin: str) -> list[str]:
    """What a reader types for a term: its pinyin without tones, as the glossary divides the words
    (``shiti qingdan``), and joined (``shitiqingdan``); ``Lǔbǐ'ào`` → ``lubiao``; ü as u and v."""
    plain = toneless(unicodedata.normalize("NFC", pinyin)).lower()
    words = [w for w in re.split(r"[^0-9a-zü]+", plain.replace("'", "").replace("’", "")) if w]
    forms = [" ".join(words), "".join(words)]
    # No keyboard has ü: pinyin input methods take v (lve), and most readers type u (lue).
    forms += [f.replace("ü", letter) for f in forms if "ü" in f for letter in "uv"]
    return list(dict.fromkeys(f for f in forms if f and "ü" not in f))


def main() -> int:
    """Rewrite edition/reference/pinyin_readings.py from data/glossary.yml's terms."""
    from edition.reference.glossary import load_glossary  # noqa: PLC0415 (the glossary imports this module)

    root = Path(__file__).resolve().parents[2]
    glossary = load_glossary(root / "data" / "glossary.yml", "data/glossary.yml")
    target = Path(__file__).with_name("pinyin_readings.py")
    target.write_text(readings_module(han_runs(entry.zh for entry in glossary.entries)), encoding="utf-8")
    print(f"{target.relative_to(root)}: written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
