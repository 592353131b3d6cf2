"""jieba's Chinese word segmentation for the search index, computed by rjieba (jieba's Rust port), word for word.

Material's search plugin calls three functions of the ``jieba`` module it imported:
``set_dictionary`` and ``load_userdict`` in its ``on_config``, ``cut`` on every run of Han
characters it indexes. Loading jieba's dictionary took about a third of the build's time;
``RjiebaSegmenter`` answers the same calls with rjieba, which loads the same dictionary and
model in a fraction of it. rjieba's own user-dictionary and block rules differ from jieba's in
details that can move a word boundary, so the class keeps jieba's where they differ:

- text is split into blocks by jieba's character class (rjieba's is wider: it also takes CJK
  Extension A and U+9FD6–U+9FFF, which jieba yields one by one), and only jieba's blocks go to rjieba;
- a user word without a frequency gets the one jieba's ``suggest_freq`` gives it (the product
  over its parts, read from jieba's own dict.txt where the product can reach 1; a word that is
  only a prefix of another counts 0), where rjieba's ``suggest_freq`` differs by one at times;
- the total of all frequencies, which weighs every path through a sentence, stays jieba's:
  jieba counts a duplicated line of dict.txt twice and adds a user word already in the dictionary
  to the total again, where rjieba replaces it. The difference is carried by a word no block can
  contain (``BALANCE``).

The equivalence is checked (tests/test_segmenter.py) for the versions in ``CHECKED``; with any
other installed, ``unavailable()`` says so and the build keeps jieba.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.metadata
import importlib.util
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from edition.cache import ResultCache, code_version, digest

if TYPE_CHECKING:
    from rjieba import Jieba as RustJieba

# The pair whose results were checked to be jieba's (tests/test_segmenter.py); both are pinned in requirements.txt.
CHECKED = {"jieba": "0.42.1", "rjieba": "0.2.2"}
# The runs jieba segments (its re_han_default); everything else it yields one character at a time, "\r\n" whole.
JIEBA_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._%-]+)")
OUTSIDE_BLOCK = re.compile(r"\r\n|.", re.DOTALL)
# A user-dictionary line as jieba reads it: the word, then an optional frequency and an optional tag.
USER_LINE = re.compile(r"(?P<word>.+?)(?: (?P<freq>[0-9]+))?(?: (?P<tag>[a-z]+))?")
DIGITS = re.compile(rb"[0-9]+")
# jieba's total over its default dict.txt, and rjieba's over the same words: dict.txt has one line twice
# ("B超 3 n"), which jieba counts twice and rjieba once.
JIEBA_TOTAL = 60_101_967
RJIEBA_TOTAL = 60_101_964
# A user word as added: the word, its frequency and tag, and the frequency it replaced (edition/cache.py keeps these).
Added = tuple[str, int, str | None, int | None]
# A space ends every block, so no text cut here ever contains this word; its frequency makes up rjieba's total.
BALANCE = " "


@functools.cache
def rust_jieba() -> type[RustJieba] | None:
    """rjieba's segmenter class, or None when rjieba cannot be imported (an optional speed-up: without it the build
    segments with jieba itself, and unavailable() says why).

    Taken from rjieba's compiled module without running its package's ``__init__``, which makes a default segmenter
    on import, jieba's whole dictionary loaded (80 ms, a tenth of a build) for one the edition never uses: each
    build makes its own, holding that build's user dictionary. A package imported (or blocked) already is taken
    as it is.
    """
    if "rjieba" in sys.modules:
        package: ModuleType | None = sys.modules["rjieba"]  # None blocks the import, as a test does
        return None if package is None else getattr(package, "Jieba", None)  # None while it is still importing
    spec = importlib.util.find_spec("rjieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    files = [folder / f"rjieba{suffix}" for suffix in importlib.machinery.EXTENSION_SUFFIXES]
    compiled = next((path for path in files if path.is_file()), None)
    if compiled is None:
        return None
    loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(compiled))
    spec = importlib.util.spec_from_loader("rjieba.rjieba", loader)
    if spec is None:
        return None
    try:
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
    except ImportError:  # as `import rjieba` would fail: a truncated file, another platform's build
        return None
    # Where the package's own `from .rjieba import Jieba` finds it, should anything import rjieba later.
    sys.modules["rjieba.rjieba"] = module
    return getattr(module, "Jieba", None)  # None from a version without the class


def unavailable(main_dictionary: str | None = None) -> str | None:
    """Why rjieba cannot stand in for jieba in this build, or None when it can; ``main_dictionary`` is the search
    plugin's ``jieba_dict`` option."""
    if main_dictionary:
        return "search.jieba_dict names a main dictionary of its own, which only jieba loads"
    if rust_jieba() is None:
        return "rjieba is not installed"
    for package, version in CHECKED.items():
        try:
            installed = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return f"{package} is not installed"
        if installed != version:
            return f"{package} {installed} is installed; rjieba's results were checked against jieba with {CHECKED}"
    return None


def segmenter_version() -> str:
    """The version of the frequencies worked out here (edition/cache.py): this code's, jieba's and rjieba's."""
    return code_version([sys.modules[__name__]], CHECKED)


def jieba_dictionary() -> Path:
    """jieba's default dict.txt, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("jieba is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


class RjiebaSegmenter:
    """The part of jieba's module API that Material's search plugin calls, answered by rjieba with jieba's words.

    One per build: the user dictionary lives in the instance. Exact for what Material cuts (runs
    of Han characters) and for jieba's cut without HMM on any text; jieba's HMM on blocks that
    mix Han with Latin letters or digits is not claimed.
    """

    def __init__(self, dictionary: Path, known: ResultCache | None = None) -> None:
        self._dictionary_path = dictionary
        self._known = known  # user dictionaries loaded before, and what each word was given (edition/cache.py)
        self._user: dict[str, int] = {}  # user words and the frequencies they were given, as jieba's FREQ has them
        self._user_prefixes: set[str] = set()  # jieba puts these in FREQ with 0, which suggest_freq reads as 0
        self._total = JIEBA_TOTAL
        self._balance = JIEBA_TOTAL - RJIEBA_TOTAL
        self._looked_up: dict[str, int | None] = {}  # dict.txt's frequencies read so far (a search each)
        self._added: list[Added] = []  # every user word, as added: rjieba's state is dict.txt's and these
        self._rust_instance: RustJieba | None = None
        self._shared = False  # the instance is _loaded_rust's, which other segmenters may hold: never changed

    @property
    def _rust(self) -> RustJieba:
        """rjieba as this segmenter's words leave it, for cutting and reading: shared or its own."""
        return self._rust_instance if self._rust_instance is not None else self._own_rust()

    def _own_rust(self) -> RustJieba:
        """rjieba as this segmenter alone holds it, made from its words if it shared one: for adding a word."""
        if self._rust_instance is None or self._shared:
            self._rust_instance = _rust_with(tuple(self._added))
            self._shared = False
        return self._rust_instance

    @functools.cached_property
    def _dictionary(self) -> bytes:
        """dict.txt with a newline first, so that every entry starts after one."""
        return b"\n" + self._dictionary_path.read_bytes()

    # -- the API Material calls -------------------------------------------------------------------------

    def set_dictionary(self, path: str | os.PathLike[str]) -> None:
        raise ValueError(
            f"search.jieba_dict ({os.fspath(path)}): rjieba cannot load a main dictionary of its own; "
            "hooks/search_dictionary.py leaves such builds to jieba"
        )

    def load_userdict(self, path: str | os.PathLike[str]) -> None:
        """jieba's load_userdict: one ``word [frequency] [tag]`` per line, UTF-8.

        Working out the frequencies jieba would suggest reads dict.txt word by word, a tenth of a build; a
        dictionary loaded before (the same bytes, by this same code and jieba) is given the words' frequencies
        as they were worked out then, which leaves the segmenter exactly as working them out again would.
        """
        content = Path(path).read_bytes()
        key = digest("user-dictionary", content)
        # Only a first load is kept and replayed: the frequencies suggested depend on the words added before,
        # which the key does not hold, and before any there are only dict.txt's (jieba's version).
        known = self._known if not self._user else None
        if known is not None and self._replayed(known.get(key)):
            return
        added: list[list[str | int | None]] = []
        for raw in content.split(b"\n"):
            try:
                line = raw.strip().decode("utf-8").lstrip("\ufeff")
            except UnicodeDecodeError:
                raise ValueError(f"dictionary file {os.fspath(path)} must be utf-8") from None
            found = USER_LINE.fullmatch(line)
            if found:
                freq = found["freq"]
                added.append(self._add_word(found["word"], None if freq is None else int(freq), found["tag"]))
        if known is not None:
            known.put(key, added)

    def _replayed(self, added: object) -> bool:
        """The words of a user dictionary loaded before, added as then; False if ``added`` is not such a list."""
        if not isinstance(added, list) or not all(_is_added(entry) for entry in added):
            return False
        entries = tuple((word, freq, tag, held) for word, freq, tag, held in added)
        # A first load (no word before): rjieba as these words leave it, shared with the process's later builds.
        self._rust_instance, self._shared = _loaded_rust(entries), True
        for entry in entries:
            self._record(entry)
        return True

    def cut(self, sentence: str | bytes) -> list[str]:
        """jieba's cut (accurate mode, with HMM)."""
        return self._cut(sentence, hmm=True)

    # -- jieba's user-dictionary rules --------------------------------------------------------------------

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """jieba's add_word; a frequency of 0 (jieba's del_word) is refused, having no rjieba equivalent."""
        self._add_word(word, freq, tag)

    def _add_word(self, word: str, freq: int | None, tag: str | None) -> list[str | int | None]:
        """add_word, returning what it added: the word, its frequency and tag, and the frequency it replaced."""
        if freq is None:
            freq = self._suggested_frequency(word)
        if freq == 0:
            raise ValueError(f"user dictionary: {word!r} with frequency 0 (a deletion) is jieba's alone")
        held = self._frequency_held(word)
        self._add(word, freq, tag, held)
        return [word, freq, tag, held]

    def _add(self, word: str, freq: int, tag: str | None, held: int | None) -> None:
        rust = self._own_rust()
        self._record((word, freq, tag, held))
        _add_to_rust(rust, (word, freq, tag, held), self._balance)

    def _record(self, added: Added) -> None:
        """The added word in jieba's bookkeeping: its frequency, its prefixes, jieba's total and rjieba's balance."""
        word, freq, _, held = added
        if held:  # rjieba replaced it in its total, where jieba adds to its own
            self._balance += held
        self._user[word] = freq
        self._total += freq
        self._user_prefixes.update(word[:end] for end in range(1, len(word)))
        self._added.append(added)

    def _suggested_frequency(self, word: str) -> int:
        """jieba's suggest_freq(word): just enough for the word to beat the parts it would be cut into."""
        parts = self._cut(word, hmm=False)
        most = self._joined(parts, self._frequency_at_most)
        joined = most if most == 0 else self._joined(parts, self._frequency)
        return max(joined + 1, self._frequency_held(word) or 1)

    def _joined(self, parts: list[str], frequency_of: Callable[[str], int]) -> int:
        """int(T · Π f(part)/T), in jieba's order of floating-point operations (so the same rounding)."""
        total = float(self._total)
        product: float = 1
        for part in parts:
            product *= frequency_of(part) / total
        return int(product * self._total)

    def _frequency_held(self, word: str) -> int | None:
        """The frequency rjieba holds for ``word`` now (a user word's, or dict.txt's), None if it holds none."""
        if word in self._user:
            return self._user[word]
        return self._dictionary_frequency(word) if self._rust.has_word(word) else None

    def _frequency_at_most(self, part: str) -> int:
        """No less than jieba's FREQ.get(part, 1), without reading dict.txt: rjieba's suggestion for a word of
        its dictionary is its frequency or one more."""
        if part in self._user:
            return self._user[part]
        return self._rust.suggest_freq(part) if self._rust.has_word(part) else 1

    def _frequency(self, part: str) -> int:
        """jieba's FREQ.get(part, 1): a word's frequency, 0 for a prefix that is no word, else 1."""
        held = self._frequency_held(part)
        if held is not None:
            return held
        prefix = part in self._user_prefixes or self._dictionary.find(b"\n" + part.encode("utf-8")) >= 0
        return 0 if prefix else 1

    def _dictionary_frequency(self, word: str) -> int | None:
        """The frequency of dict.txt's last entry for ``word`` (jieba's, where a later line replaces an earlier)."""
        if word not in self._looked_up:
            entry = b"\n" + word.encode("utf-8") + b" "
            at = self._dictionary.rfind(entry)
            found = DIGITS.match(self._dictionary, at + len(entry)) if at >= 0 else None
            self._looked_up[word] = int(found[0]) if found else None
        return self._looked_up[word]

    # -- jieba's blocks ------------------------------------------------------------------------------------

    def _cut(self, sentence: str | bytes, *, hmm: bool) -> list[str]:
        text = sentence if isinstance(sentence, str) else _decoded(sentence)
        words: list[str] = []
        for index, part in enumerate(JIEBA_BLOCK.split(text)):
            if index % 2:  # split() puts the captured blocks at odd places
                words += self._rust.cut(part, hmm)
            else:
                words += OUTSIDE_BLOCK.findall(part)
        return words


def _add_to_rust(rust: RustJieba, added: Added, balance: int) -> None:
    """Add a user word to rjieba; ``balance`` is the balancing word's frequency once it is added."""
    word, freq, tag, held = added
    rust.add_word(word, freq, tag)
    if held:  # the balance grew by the frequency rjieba's total lost
        rust.add_word(BALANCE, balance, None)


def _rust_with(added: tuple[Added, ...]) -> RustJieba:
    """rjieba with jieba's dictionary and these user words, in this order, as RjiebaSegmenter adds them."""
    jieba_class = rust_jieba()
    if jieba_class is None:
        raise ValueError("rjieba is not installed; hooks/search_dictionary.py leaves such builds to jieba")
    rust = jieba_class()
    balance = JIEBA_TOTAL - RJIEBA_TOTAL
    rust.add_word(BALANCE, balance, None)
    for entry in added:
        balance += entry[3] or 0
        _add_to_rust(rust, entry, balance)
    return rust


# rjieba loaded with a user dictionary, kept for the process: `mkdocs serve` rebuilds with the same words each time,
# and loading rjieba's dictionary is a seventh of a rebuild (stock Material keeps jieba's, a module of its own, the
# same way). The instance depends on nothing but the words it is keyed by, so no build's state passes to another;
# segmenters share it only unchanged (RjiebaSegmenter._own_rust).
_loaded_rust = functools.lru_cache(maxsize=1)(_rust_with)


def _is_added(entry: object) -> bool:
    """Whether ``entry`` has the shape ``_add_word`` returns: [word, frequency, tag or None, frequency or None]."""
    if not isinstance(entry, list) or len(entry) != 4:
        return False
    word, freq, tag, held = entry
    return (
        isinstance(word, str)
        and bool(word)
        and type(freq) is int
        and freq > 0
        and (tag is None or isinstance(tag, str))
        and (held is None or type(held) is int)
    )


def _decoded(sentence: bytes) -> str:
    """jieba's reading of bytes: UTF-8, else GBK (what Material passes is always UTF-8)."""
    try:
        return sentence.decode("utf-8")
    except UnicodeDecodeError:
        return sentence.decode("gbk", "ignore")
