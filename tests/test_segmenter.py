"""rjieba stands in for jieba in the search index (edition/site/segmenter.py): the same words, so the same index.

Compared on every run of Han characters the book's index holds, on generated text and user
dictionaries, and on two whole builds, one segmented by each.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import jieba
import pytest
from backrefs import bre
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from material.plugins.search import plugin as material_search
from rjieba import Jieba as RustJieba

from book_inputs import build_in_own_process, copy_book_inputs
from conftest import ROOT, Site, build_site
from edition.cache import ResultCache, digest
from edition.reference.glossary import jieba_user_dictionary, load_glossary
from edition.site.segmenter import (
    CHECKED,
    JIEBA_TOTAL,
    RJIEBA_TOTAL,
    RjiebaSegmenter,
    jieba_dictionary,
    segmenter_version,
    unavailable,
)

GLOSSARY = "data/glossary.yml"
ZWSP = "\u200b"  # what Material's search puts between the words of a run
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
MATERIAL_RUN = bre.compile(r"\p{script: Han}+", bre.UNICODE)  # what Material's _segment_chinese passes to cut
ARTICLE = (ROOT / "source" / "article.md").read_text(encoding="utf-8")
# Han-script characters outside jieba's block class (U+4E00–U+9FD5), which Material still passes to cut:
# ideographic zero and iteration marks, CJK Extension A, U+9FD6–U+9FFF, compatibility ideographs, radicals,
# Extension B.
RARE_HAN = "\u3007\u3005\u303b\u3400\u3447\u4db5\u9fd6\u9fd9\u9fff\uf900\ufa0e\u2e80\u2f00\U00020000\U0002a700"
jieba.setLogLevel(logging.WARNING)


def glossary_words() -> list[str]:
    return jieba_user_dictionary(load_glossary(ROOT / GLOSSARY, GLOSSARY)).split()


def fresh_tokenizer(base: jieba.Tokenizer) -> jieba.Tokenizer:
    """A jieba tokenizer with the default dictionary and nothing else, without the seconds of loading it: the
    loaded tables copied (jieba's own attributes; the tests may read its internals, the build does not)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(base.FREQ), base.total, True
    return tokenizer


@pytest.fixture(scope="module")
def plain_jieba() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@pytest.fixture(scope="module")
def user_dictionary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dictionary") / "jieba-user-dictionary.txt"
    path.write_text(jieba_user_dictionary(load_glossary(ROOT / GLOSSARY, GLOSSARY)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def book_jieba(plain_jieba: jieba.Tokenizer, user_dictionary: Path) -> jieba.Tokenizer:
    tokenizer = fresh_tokenizer(plain_jieba)
    tokenizer.load_userdict(str(user_dictionary))
    return tokenizer


@pytest.fixture(scope="module")
def book_rjieba(user_dictionary: Path) -> RjiebaSegmenter:
    segmenter = RjiebaSegmenter(jieba_dictionary())
    segmenter.load_userdict(str(user_dictionary))
    return segmenter


def segmented(text: str, segmenter: object) -> str:
    """``text`` as Material's search plugin puts it in the index, segmented by ``segmenter``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(material_search, "jieba", segmenter)
        return str(material_search.SearchIndex()._segment_chinese(text))


# -- the pair checked, and the dictionaries' totals --------------------------------------------------------


def test_the_checked_versions_are_the_pinned_ones_and_installed() -> None:
    pinned = dict(re.findall(r"^(jieba|rjieba)==(\S+)$", (ROOT / "requirements.txt").read_text(), re.MULTILINE))
    assert pinned == CHECKED
    assert unavailable() is None
    assert unavailable("my-dict.txt") == "search.jieba_dict names a main dictionary of its own, which only jieba loads"


def split_threshold(add_word: Callable[[str, int], object], cut: Callable[[str], list[str]], free: str) -> int:
    """The total a tokenizer weighs paths with, seen from outside: with words ab (1), a (2) and b (f), the cut
    a|b wins once 2f/T² > 1/T, T being the total with the three words in it, i.e. once f reaches T_before + 4."""
    a, b = free[0], free[1]
    add_word(a + b, 1)
    add_word(a, 2)
    low, high = 1, 10**9
    while high - low > 1:
        middle = (low + high) // 2
        add_word(b, middle)
        if cut(a + b) == [a, b]:
            high = middle
        else:
            low = middle
    return high - 4


def jieba_probe(tokenizer: jieba.Tokenizer) -> tuple[Callable[[str, int], None], Callable[[str], list[str]]]:
    """add_word and cut for split_threshold. jieba's add_word adds to the total even when it replaces a word;
    the probe needs rjieba's replacing, so the total is put right after each call."""

    def add_word(word: str, freq: int) -> None:
        total = tokenizer.total + freq - tokenizer.FREQ.get(word, 0)
        tokenizer.add_word(word, freq)
        tokenizer.total = total

    return add_word, lambda text: list(tokenizer.cut(text, HMM=False))


def free_characters(*texts: str) -> str:
    """Two characters of jieba's block class in none of ``texts``."""
    used = set("".join(texts))
    return "".join([c for c in map(chr, range(0x4E00, 0x9FD6)) if c not in used][:2])


def test_the_totals_are_the_dictionaries(plain_jieba: jieba.Tokenizer) -> None:
    """jieba counts dict.txt's one duplicated line twice, rjieba once: the segmenter makes up the difference."""
    dictionary = jieba_dictionary().read_text(encoding="utf-8")
    entries = [line.split(" ")[:2] for line in dictionary.splitlines()]
    assert plain_jieba.total == sum(int(freq) for _, freq in entries) == JIEBA_TOTAL
    assert sum(int(freq) for freq in dict(entries).values()) == RJIEBA_TOTAL
    free = free_characters(dictionary)
    rust = RustJieba()
    assert split_threshold(lambda w, f: rust.add_word(w, f, None), lambda s: rust.cut(s, False), free) == RJIEBA_TOTAL
    # The probe itself, on jieba, whose total is in plain sight:
    assert split_threshold(*jieba_probe(fresh_tokenizer(plain_jieba)), free) == JIEBA_TOTAL


def test_the_user_dictionary_gets_jiebas_frequencies_and_total(
    plain_jieba: jieba.Tokenizer, user_dictionary: Path, book_jieba: jieba.Tokenizer, book_rjieba: RjiebaSegmenter
) -> None:
    words = glossary_words()
    assert len(words) > 50
    assert {w: book_rjieba._user[w] for w in words} == {w: book_jieba.FREQ[w] for w in words}
    assert book_rjieba._total == book_jieba.total
    # …and the total rjieba itself weighs paths with, measured as jieba's is: on copies, since the probe adds words.
    free = free_characters(jieba_dictionary().read_text(encoding="utf-8"), "".join(words))
    rjieba = RjiebaSegmenter(jieba_dictionary())
    rjieba.load_userdict(str(user_dictionary))
    rust = rjieba._rust
    measured = split_threshold(lambda w, f: rust.add_word(w, f, None), lambda s: rust.cut(s, False), free)
    tokenizer = fresh_tokenizer(plain_jieba)
    tokenizer.load_userdict(str(user_dictionary))
    assert measured == split_threshold(*jieba_probe(tokenizer), free) == book_jieba.total


# -- the book's text --------------------------------------------------------------------------------------


def test_every_run_the_book_indexes_is_cut_as_jieba_cuts_it(
    site: Site, book_jieba: jieba.Tokenizer, book_rjieba: RjiebaSegmenter
) -> None:
    """The index holds each section's text with the separators added; without them, it is what Material cut."""
    index = json.loads((site.root / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [doc[field].replace(ZWSP, "") for doc in index["docs"] for field in ("title", "text")]
    assert len({run for text in texts for run in HAN_RUN.findall(text)}) > 1000
    by_rjieba = [segmented(text, book_rjieba) for text in texts]
    assert by_rjieba == [segmented(text, book_jieba) for text in texts]
    assert by_rjieba == [doc[field] for doc in index["docs"] for field in ("title", "text")]


# -- generated text and dictionaries ------------------------------------------------------------------------

FORMS = glossary_words()
SENTENCES = [s for s in re.split(r"[。！？\n]", ARTICLE) if HAN_RUN.search(s)]
ARTICLE_HAN = sorted(set("".join(HAN_RUN.findall(ARTICLE))))
pieces = st.one_of(
    st.sampled_from(FORMS),
    st.sampled_from(SENTENCES),
    st.builds(
        lambda s, start, size: s[start : start + size],
        st.sampled_from(SENTENCES),
        st.integers(0, 30),
        st.integers(1, 12),
    ),
    st.text(alphabet=ARTICLE_HAN, min_size=1, max_size=12),  # contexts the article never has, for the HMM
    st.from_regex(r"[A-Za-z]{1,10}", fullmatch=True),
    st.from_regex(r"[0-9]{1,6}(\.[0-9]{1,2})?%?", fullmatch=True),
    st.sampled_from([*"，。、；：？！“”\u2018\u2019《》（）—…·,.;:?!()[]-/%+#&_ \t\n", "\r\n"]),
    st.text(alphabet=RARE_HAN, min_size=1, max_size=3),
)
texts = st.lists(pieces, max_size=25).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
def test_generated_text_is_indexed_as_jieba_would(
    text: str, book_jieba: jieba.Tokenizer, book_rjieba: RjiebaSegmenter
) -> None:
    assert segmented(text, book_rjieba) == segmented(text, book_jieba)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.one_of(pieces, st.text(alphabet=ARTICLE_HAN + list(RARE_HAN), max_size=20)), max_size=10))
def test_runs_of_han_and_any_text_without_hmm_are_cut_as_jieba_cuts_them(
    text: list[str], book_jieba: jieba.Tokenizer, book_rjieba: RjiebaSegmenter
) -> None:
    joined = "".join(text)
    for run in MATERIAL_RUN.findall(joined):
        assert book_rjieba.cut(run.encode("utf-8")) == list(book_jieba.cut(run.encode("utf-8")))
    assert book_rjieba._cut(joined, hmm=False) == list(book_jieba.cut(joined, HMM=False))


@st.composite
def user_dictionaries(draw: st.DrawFn) -> list[str]:
    """Lines of a user dictionary: the glossary's terms, words of jieba's dictionary, new words and their
    prefixes, some twice, some with a frequency or a tag."""
    word = st.one_of(
        st.sampled_from(FORMS),
        st.sampled_from(["中国", "美国", "关税", "中美关系", "特朗普", "美方", "稀土", "出口管制"]),
        st.text(alphabet=ARTICLE_HAN, min_size=2, max_size=6),
    )
    words = draw(st.lists(word, min_size=1, max_size=25))
    words += [w[:end] for w in draw(st.lists(st.sampled_from(words), max_size=5)) for end in (1, len(w) - 1) if end]
    words += draw(st.lists(st.sampled_from(words), max_size=5))
    freq = st.one_of(st.none(), st.integers(1, 10**6).map(lambda f: f" {f}"))
    tag = st.one_of(st.none(), st.sampled_from([" n", " nr", " ns"]))
    return [w + (draw(freq) or "") + (draw(tag) or "") for w in draw(st.permutations(words))]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=user_dictionaries(), sample=st.lists(pieces, min_size=1, max_size=20))
def test_any_user_dictionary_gives_jiebas_frequencies_total_and_words(
    lines: list[str], sample: list[str], plain_jieba: jieba.Tokenizer
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "user.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tokenizer = fresh_tokenizer(plain_jieba)
        tokenizer.load_userdict(str(path))
        rjieba = RjiebaSegmenter(jieba_dictionary())
        rjieba.load_userdict(str(path))
    assert rjieba._user == {w: tokenizer.FREQ[w] for w in rjieba._user}
    assert rjieba._total == tokenizer.total
    text = "".join(sample + [line.split(" ")[0] for line in lines])
    assert segmented(text, rjieba) == segmented(text, tokenizer)


def test_what_rjieba_cannot_do_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "user.txt"
    path.write_text("不可靠实体清单 0\n", encoding="utf-8")  # jieba's way of deleting a word
    with pytest.raises(ValueError, match="frequency 0"):
        RjiebaSegmenter(jieba_dictionary()).load_userdict(path)
    with pytest.raises(ValueError, match="main dictionary"):
        RjiebaSegmenter(jieba_dictionary()).set_dictionary(path)


# rjieba's package makes a default segmenter when it is imported (jieba's whole dictionary, a tenth of a build),
# which a build never uses: the segmenter's class is taken from the compiled module without it.
LOAD_WITHOUT_THE_PACKAGE = """
import sys
from edition.site.segmenter import rust_jieba, unavailable
assert unavailable() is None
jieba_class = rust_jieba()
assert "rjieba" not in sys.modules, "rjieba's package was imported"
assert jieba_class().cut("中美关系稳中有进", False) == ["中美关系", "稳中有进"]
import rjieba
assert rjieba.Jieba is jieba_class, "a second copy of the class"
print("ok")
"""


def test_a_build_loads_rjiebas_segmenter_without_the_default_one_its_package_makes() -> None:
    result = subprocess.run(
        [sys.executable, "-c", LOAD_WITHOUT_THE_PACKAGE], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr[-2000:]


# An rjieba whose compiled module does not load (a truncated file, another machine's build, a file merely named
# like it): jieba segments the build, as when rjieba is not installed, rather than the build stopping on a traceback.
BROKEN_EXTENSION = """
import importlib.machinery, sys
from pathlib import Path
package = Path(sys.argv[1]) / "rjieba"
package.mkdir()
(package / "__init__.py").write_text("from .rjieba import *\\n")
(package / f"rjieba{importlib.machinery.EXTENSION_SUFFIXES[0]}").write_bytes(b"not a compiled module")
sys.path.insert(0, sys.argv[1])
from edition.site.segmenter import unavailable
print(unavailable())
"""


def test_an_rjieba_that_does_not_load_leaves_the_build_to_jieba(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", BROKEN_EXTENSION, str(tmp_path)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "rjieba" in result.stdout


# -- whole builds --------------------------------------------------------------------------------------------

# A build in its own process, where rjieba cannot be imported: jieba as a fresh process loads it.
BUILD_WITHOUT_RJIEBA = build_in_own_process(
    strict=True,
    before='sys.modules["rjieba"] = None\n'
    'logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")',
)


def digests(site: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(site.rglob("*")):
        if path.is_file():
            yield path.relative_to(site).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_build_segmented_by_rjieba_is_byte_identical_to_one_by_jieba(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(time.time()) // 86400 * 86400))  # one date for both builds
    project = copy_book_inputs(tmp_path / "project")
    result = subprocess.run(
        [sys.executable, "-c", BUILD_WITHOUT_RJIEBA, str(project), str(tmp_path / "by-jieba")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # Strict, and it went on: the fallback is news, not a warning.
    assert "INFO mkdocs.edition: Search: rjieba is not installed; segmenting with jieba itself" in result.stderr
    with caplog.at_level(logging.INFO, logger="mkdocs.edition"):
        build_site(project, tmp_path / "by-rjieba")
    assert "segmenting with jieba" not in caplog.text
    assert isinstance(material_search.jieba, RjiebaSegmenter)
    by_jieba, by_rjieba = dict(digests(tmp_path / "by-jieba")), dict(digests(tmp_path / "by-rjieba"))
    assert "search/search_index.json" in by_rjieba
    assert by_rjieba == by_jieba


# -- a user dictionary loaded before (edition/cache.py) -------------------------------------------------------


def test_a_user_dictionary_loaded_before_leaves_the_segmenter_as_loading_it_afresh(
    tmp_path: Path, user_dictionary: Path, book_rjieba: RjiebaSegmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second build is given the frequencies worked out at the first, and cuts every sentence the same."""
    first = RjiebaSegmenter(jieba_dictionary(), known=ResultCache(tmp_path / "c.json", segmenter_version()))
    assert first._known is not None
    first.load_userdict(str(user_dictionary))
    first._known.save()
    again = RjiebaSegmenter(jieba_dictionary(), known=ResultCache(tmp_path / "c.json", segmenter_version()))
    # Nothing is worked out again: no word's frequency is suggested, dict.txt is not read.
    monkeypatch.setattr(RjiebaSegmenter, "_suggested_frequency", lambda *_: pytest.fail("worked out again"))
    monkeypatch.setattr(RjiebaSegmenter, "_dictionary_frequency", lambda *_: pytest.fail("dict.txt read again"))
    again.load_userdict(str(user_dictionary))
    assert (again._user, again._total, again._balance) == (book_rjieba._user, book_rjieba._total, book_rjieba._balance)
    assert again._user_prefixes == book_rjieba._user_prefixes
    assert [again.cut(s) for s in SENTENCES] == [book_rjieba.cut(s) for s in SENTENCES]


def test_a_later_build_shares_the_loaded_dictionary_but_never_a_word_another_build_added(
    tmp_path: Path, user_dictionary: Path, book_rjieba: RjiebaSegmenter
) -> None:
    """`mkdocs serve` rebuilds: a build loading the same user dictionary again is given rjieba as the last build
    left it, and a word one build adds afterwards is that build's alone."""
    known = ResultCache(tmp_path / "c.json", segmenter_version())
    RjiebaSegmenter(jieba_dictionary(), known=known).load_userdict(str(user_dictionary))
    builds = [RjiebaSegmenter(jieba_dictionary(), known=known) for _ in range(2)]
    for build in builds:
        build.load_userdict(str(user_dictionary))
    assert builds[0]._rust is builds[1]._rust  # the dictionary was not loaded again
    sentence = "美方宣布对华芯片出口管制新规定"
    word = "华芯片出"  # no word of dict.txt or the glossary: cut apart unless added
    assert word not in book_rjieba.cut(sentence)
    builds[0].add_word(word, 10**9)
    assert word in builds[0].cut(sentence)
    assert builds[1].cut(sentence) == book_rjieba.cut(sentence)
    again = RjiebaSegmenter(jieba_dictionary(), known=known)
    again.load_userdict(str(user_dictionary))
    assert [again.cut(s) for s in [sentence, *SENTENCES]] == [book_rjieba.cut(s) for s in [sentence, *SENTENCES]]


@pytest.mark.parametrize(
    "stored",
    [
        "words",
        [["词", 0, None, None]],  # a frequency of 0 is a deletion, never added
        [["词", 5, None]],
        [["", 5, None, None]],
        [["词", "5", None, None]],
        [["词", 5, 7, None]],
        [["词", True, None, None]],
    ],
)
def test_a_damaged_entry_is_worked_out_afresh(
    tmp_path: Path, user_dictionary: Path, book_rjieba: RjiebaSegmenter, stored: object
) -> None:
    """A cache entry that is not what the segmenter stores is ignored: the words get jieba's frequencies anyway."""
    known = ResultCache(tmp_path / "c.json", segmenter_version())
    known.put(digest("user-dictionary", user_dictionary.read_bytes()), stored)
    segmenter = RjiebaSegmenter(jieba_dictionary(), known=known)
    segmenter.load_userdict(str(user_dictionary))
    assert (segmenter._user, segmenter._total) == (book_rjieba._user, book_rjieba._total)


def test_frequencies_count_only_for_the_same_dictionary(tmp_path: Path, user_dictionary: Path) -> None:
    """Another user dictionary's words are not those of the one loaded before, however alike."""
    known = ResultCache(tmp_path / "c.json", segmenter_version())
    RjiebaSegmenter(jieba_dictionary(), known=known).load_userdict(str(user_dictionary))
    other = tmp_path / "other.txt"
    other.write_bytes(user_dictionary.read_bytes() + "不可靠实体清单测试词\n".encode())
    segmenter = RjiebaSegmenter(jieba_dictionary(), known=known)
    segmenter.load_userdict(str(other))
    assert "不可靠实体清单测试词" in segmenter._user


def test_frequencies_worked_out_after_other_words_are_not_given_to_a_fresh_segmenter(tmp_path: Path) -> None:
    """A suggested frequency depends on the words already added (jieba's suggest_freq reads them): a dictionary
    loaded after add_word is not what a fresh segmenter would make of it, so neither may take the other's."""
    dictionary = tmp_path / "user.txt"
    dictionary.write_text("稀土管制\n", encoding="utf-8")
    cold = RjiebaSegmenter(jieba_dictionary())
    cold.load_userdict(str(dictionary))
    path = tmp_path / "c.json"
    earlier = ResultCache(path, segmenter_version())
    after_words = RjiebaSegmenter(jieba_dictionary(), known=earlier)
    after_words.add_word("稀土", 10_000_000)
    after_words.load_userdict(str(dictionary))
    earlier.save()
    warm = RjiebaSegmenter(jieba_dictionary(), known=ResultCache(path, segmenter_version()))
    warm.load_userdict(str(dictionary))
    assert warm._user == cold._user
    assert warm.cut("稀土管制的新阶段") == cold.cut("稀土管制的新阶段")
