"""The Vietnamese analysis the index is built on: forms that must meet, and forms that must not."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from docgen.vietnamese import nfc
from index.analysis import cited_symbols, date_keys, fold, symbol_key, words
from index.schema import FOLDED, MARKED, analyzers

from .conftest import EXAMPLES, ROOT


def test_marked_and_folded_tokens():
    text = "Quyết định khen THƯỞNG: Sở GD&ĐT (2024-2025)"
    tantivy = analyzers()
    assert tantivy[MARKED].analyze(text) == words(text) == [
        "quyết", "định", "khen", "thưởng", "sở", "gd", "đt", "2024", "2025"]
    assert tantivy[FOLDED].analyze(text) == [fold(w) for w in words(text)] == [
        "quyet", "dinh", "khen", "thuong", "so", "gd", "dt", "2024", "2025"]


def test_the_index_tokenizes_as_queries_are_read():
    """Tantivy analyses the documents (its regex, lowercase and ascii_fold), the query is read
    by analysis.py: on every example and seed, line by line, both give the same tokens."""
    tantivy = analyzers()
    files = [*EXAMPLES.glob("*.yaml"), *(ROOT / "tests" / "data" / "seeds").glob("*.txt")]
    lines = [nfc(line) for path in files for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) > 300
    for line in lines:
        assert tantivy[MARKED].analyze(line) == words(line), line
        assert tantivy[FOLDED].analyze(line) == [fold(w) for w in words(line)], line


def test_decomposed_text_gives_the_same_tokens():
    text = "Đổi mới, sáng tạo trong dạy và học"
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    assert words(nfd) == words(text)


def test_folding_merges_what_marks_tell_apart():
    assert fold("thưởng") == fold("thương") == "thuong"
    assert fold("mà") == fold("mã") == fold("ma") == "ma"
    assert fold("Đàm Văn Hùng") == "dam van hung"


@pytest.mark.parametrize("typed", ["1140/SGD&ĐT-VP", "1140/SGDĐT-VP", "1140/sgd&dt-vp", "1140 sgddt vp",
                                   "1140 / SGD & ĐT - VP", unicodedata.normalize("NFD", "1140/SGD&ĐT-VP")])
def test_number_symbol_spellings_share_one_key(typed):
    assert symbol_key(typed) == "1140sgddtvp"


def test_leading_zeros_do_not_matter_but_the_symbol_does():
    assert symbol_key("05/QĐ-SGDĐT") == symbol_key("5/qd-sgddt")
    assert symbol_key("05/QĐ-SGDĐT") != symbol_key("05/KH-SGDĐT")


def test_cited_number_symbols_in_text():
    text = ("Thực hiện Kế hoạch số 1374/KH-BGD&ĐT ngày 02/11/2020; Nghị quyết số 29-NQ/TW; "
            "Nghị định số 98/2023/NĐ-CP và Công văn số 3282/BGDĐT-TĐKT.")
    assert cited_symbols(text) == ["1374khbgddt", "29nqtw", "982023ndcp", "3282bgddttdkt"]


def test_dates_in_their_written_forms():
    for text in ("ngày 18 tháng 9 năm 2017", "18/9/2017", "18/09/2017", "ngay 18 thang 09 nam 2017", "18-9-2017"):
        assert date_keys(text) == ["20170918"], text
    assert date_keys("số 1140/2017 và 31/02/2017") == []  # not dates


def test_a_date_is_a_date_not_a_number_symbol():
    assert cited_symbols("ngày 02/11/2020") == []
    assert dt.date(2017, 9, 18).strftime("%Y%m%d") == date_keys("18/9/2017")[0]
