import datetime as dt
import unicodedata

import pytest

from docgen.vietnamese import (
    amount_in_figures, amount_in_words, collectives_and_individuals, date_line, legal_date, nfc,
    normalize_data, number_in_words, number_symbol, padded, parse_date, roman, symbol_for, upper,
)


@pytest.mark.parametrize("day, month, expected", [
    (5, 1, "ngày 05 tháng 01 năm 2025"),
    (18, 9, "ngày 18 tháng 9 năm 2025"),
    (1, 2, "ngày 01 tháng 02 năm 2025"),
    (30, 3, "ngày 30 tháng 3 năm 2025"),
    (10, 12, "ngày 10 tháng 12 năm 2025"),
])
def test_legal_date_pads_days_below_10_and_only_months_1_and_2(day, month, expected):
    assert legal_date(dt.date(2025, month, day)) == expected


def test_date_line_has_place_comma_and_legal_date():
    assert date_line("Cao Bằng", dt.date(2017, 9, 18)) == "Cao Bằng, ngày 18 tháng 9 năm 2017"


def test_draft_date_line_leaves_blanks():
    line = date_line("Cao Bằng", None)
    assert line.startswith("Cao Bằng, ngày ") and "tháng" in line and "năm" in line


def test_numbers_and_symbols():
    assert padded(5) == "05" and padded(12) == "12"
    assert symbol_for("QĐ", "SGDĐT") == "QĐ-SGDĐT"
    assert symbol_for(None, "SGD&ĐT", "VP") == "SGD&ĐT-VP"
    assert number_symbol(5, "QĐ-SGDĐT") == "05/QĐ-SGDĐT"
    assert number_symbol(1140, "SGD&ĐT-VP") == "1140/SGD&ĐT-VP"
    assert number_symbol(None, "QĐ-SGDĐT").strip() == "/QĐ-SGDĐT"


def test_cong_van_symbol_needs_a_unit():
    with pytest.raises(ValueError):
        symbol_for(None, "SGDĐT")


def test_upper_keeps_vietnamese_marks():
    assert upper("sở giáo dục và đào tạo") == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert upper("ưu tiên đổi mới") == "ƯU TIÊN ĐỔI MỚI"


def test_roman_numerals():
    assert [roman(n) for n in (1, 2, 3, 4, 9, 14, 40)] == ["I", "II", "III", "IV", "IX", "XIV", "XL"]


@pytest.mark.parametrize("n, words", [
    (0, "không"), (15, "mười lăm"), (21, "hai mươi mốt"), (24, "hai mươi tư"), (105, "một trăm linh năm"),
    (1005, "một nghìn không trăm linh năm"), (2_340_000, "hai triệu ba trăm bốn mươi nghìn"),
    (1_000_000_000, "một tỷ"),
])
def test_number_in_words(n, words):
    assert number_in_words(n) == words


def test_amounts():
    assert amount_in_words(2_340_000) == "Hai triệu ba trăm bốn mươi nghìn đồng"
    assert amount_in_figures(2_340_000) == "2.340.000"


def test_counts_of_collectives_and_individuals():
    assert collectives_and_individuals(3, 9) == "03 tập thể và 09 cá nhân"
    assert collectives_and_individuals(0, 12) == "12 cá nhân"
    assert collectives_and_individuals(5, 0) == "05 tập thể"


def test_input_is_nfc_and_loses_control_characters():
    decomposed = unicodedata.normalize("NFD", "Quyết định khen thưởng")
    assert nfc(decomposed) == "Quyết định khen thưởng"
    assert nfc("a\ab\fc\td") == "abc d"
    data = normalize_data({"subject": decomposed, "list": [decomposed]})
    assert data["subject"] == "Quyết định khen thưởng" and data["list"][0] == data["subject"]


def test_unicode_line_separators_become_spaces_and_noncharacters_go():
    assert nfc("Kế hoạch\u2028thi đua\u2029năm\x85học") == "Kế hoạch thi đua năm học"
    assert nfc("Kế\ufffe hoạch\uffff") == "Kế hoạch"
    assert nfc("a\x80b\x9fc") == "abc"


def test_parse_date_accepts_both_forms():
    assert parse_date("2025-01-05") == parse_date("05/01/2025") == dt.date(2025, 1, 5)
    with pytest.raises(ValueError):
        parse_date("31/02/1980")
