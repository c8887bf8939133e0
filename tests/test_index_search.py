"""Search as a clerk uses it: a known-item set of queries typed the ways people type, and the
rank of the document they meant; marks, NFD input, malformed queries, filters, secrecy.

One real archive (issued documents, imported ones) with its real Tantivy index; no mocks.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
import yaml

from archive import Archive, issue_document, revoke
from index import Filters, SearchIndex, catch_up, import_files

from .conftest import AGENCY, EXAMPLES, ROOT

SEEDS = ROOT / "tests" / "data" / "seeds"


def seeds() -> Path:
    """The two real seed documents, kept in the repository (tests/data/seeds)."""
    return SEEDS


def example(kind: str, **changes) -> dict:
    """An example's data as a clerk gives it to an archive (the home's agency file is used)."""
    data = yaml.safe_load((EXAMPLES / f"{kind}.yaml").read_text(encoding="utf-8"))
    data.pop("agency", None)
    return {**data, **changes}


def letter(subject: str, body: str, **changes) -> dict:
    return example("cong_van", subject=subject, body=body, **changes)


def issue(archive, kind: str, data: dict, date: str):
    issued = issue_document(archive, kind, data, date=dt.date.fromisoformat(date), pdf=False)
    assert not issued.warnings, issued.warnings
    return issued.record


BIG_SYMBOL = """BỘ GIÁO DỤC VÀ ĐÀO TẠO
Số: 1374/KH-BGDĐT
Hà Nội, ngày 02 tháng 11 năm 2020
KẾ HOẠCH
Tổ chức Phong trào thi đua “Đổi mới, sáng tạo trong quản lý, giảng dạy và học tập” ngành Giáo dục giai đoạn 2020-2025

Căn cứ Luật Thi đua, Khen thưởng; Bộ Giáo dục và Đào tạo ban hành Kế hoạch tổ chức Phong trào thi đua.
Nơi nhận:
- Các sở giáo dục và đào tạo;
- Lưu: VT, TĐKT.
KT. BỘ TRƯỞNG
THỨ TRƯỞNG
Ngô Thị Minh
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """An archive with every numbered kind issued, letters written to tell words apart,
    a secret letter, and three imported documents; `keys` names each by its role."""
    home = tmp_path_factory.mktemp("search") / "home"
    with Archive.init(home, AGENCY) as archive:
        keys = {}
        keys["letter_2017"] = issue(archive, "cong_van", example("cong_van"), "2017-09-18").id
        keys["plan"] = issue(archive, "ke_hoach", example("ke_hoach"), "2020-12-15").id
        keys["minutes"] = issue(archive, "bien_ban", example("bien_ban"), "2025-06-10").id
        keys["submission"] = issue(archive, "to_trinh", example("to_trinh"), "2025-06-15").id
        keys["decision"] = issue(archive, "quyet_dinh_khen_thuong", example("quyet_dinh_khen_thuong"), "2025-08-20").id
        keys["bonus"] = issue(archive, "cong_van", letter(
            "chi tiền thưởng cho giáo viên có thành tích xuất sắc",
            "Sở đề nghị các đơn vị chi tiền thưởng kịp thời cho giáo viên đạt danh hiệu."), "2025-09-01").id
        keys["injured"] = issue(archive, "cong_van", letter(
            "thăm hỏi cán bộ bị thương trong mưa lũ",
            "Sở đề nghị các đơn vị thăm hỏi, động viên cán bộ, giáo viên bị thương trong đợt mưa lũ vừa qua."),
            "2025-09-02").id
        keys["phrase"] = issue(archive, "cong_van", letter(
            "đề nghị khen thưởng đột xuất",
            "Đề nghị khen thưởng đột xuất cho tập thể Trường THPT Hòa An đã cứu hộ học sinh trong mưa lũ."),
            "2025-09-03").id
        keys["scattered"] = issue(archive, "cong_van", letter(
            "tổng kết công tác năm học",
            "Các đơn vị gửi báo cáo tổng kết; tập thể được khen sẽ nhận giấy khen, cá nhân tiêu biểu có phần "
            "thưởng theo quy định.", drafting_unit="GDTrH", signer="giam_doc"), "2025-09-04").id
        keys["secret"] = issue(archive, "cong_van", letter(
            "phương án bảo vệ đề thi tuyển sinh lớp 10",
            "Phương án bảo vệ đề thi tuyển sinh, vận chuyển đề thi và bài thi.", secrecy="MẬT"), "2025-09-05").id
        keys["revoked"] = issue(archive, "cong_van", letter(
            "tạm dừng tổ chức hội thi giáo viên dạy giỏi",
            "Tạm dừng tổ chức hội thi giáo viên dạy giỏi cấp tỉnh."), "2025-09-06").id
        keys["revoker"] = issue(archive, "cong_van", letter(
            "thu hồi văn bản tạm dừng hội thi giáo viên dạy giỏi",
            "Thu hồi công văn tạm dừng hội thi; hội thi giáo viên dạy giỏi tổ chức theo kế hoạch."),
            "2025-09-07").id
        revoke(archive, keys["revoked"], by=keys["revoker"])
        ministry = tmp_path_factory.mktemp("incoming") / "ke-hoach-1374.txt"
        ministry.write_text(BIG_SYMBOL, encoding="utf-8")
        report = import_files(archive, [seeds() / "002_8eeca81917f3b8cf.txt", seeds() / "000_7a1e7a67a9ad9d1a.txt",
                                        ministry])
        assert not report.skipped and not report.warnings, report
        keys["seed_letter"], keys["seed_plan"], keys["ministry"] = (item["id"] for item in report.imported)
        catch_up(archive)  # the index follows the archive's change log
        index = SearchIndex.of_archive(archive)
    return {"home": home, "index": index, "keys": {k: str(v) for k, v in keys.items()}}


def rank(library, query: str, wanted: str, **options) -> int | None:
    """The rank of document `wanted` (a role of `library`) for `query`, or None if not found."""
    results = library["index"].search(query, limit=50, **options)
    keys = [hit.key for hit in results.hits]
    key = library["keys"][wanted]
    return keys.index(key) + 1 if key in keys else None


# What a clerk remembers, typed the ways people type it, and the document meant.
KNOWN_ITEMS = [
    # number-symbols in every spelling
    ("1140/SGD&ĐT-VP", "seed_letter"),
    ("1140/SGDĐT-VP", "seed_letter"),
    ("1140/sgd&dt-vp", "seed_letter"),
    ("1140 sgddt vp", "seed_letter"),
    ("01/SGD&ĐT-VP", "letter_2017"),
    ("1/sgddt-vp", "letter_2017"),
    ("01/bb-hdtdkt", "minutes"),
    ("01/QĐ-SGDĐT", "decision"),
    ("1374/KH-BGD&ĐT", "ministry"),
    # no marks, some marks, every mark
    ("quyet dinh tang giay khen nam hoc 2024-2025", "decision"),
    ("quyết dinh tặng giay khen", "decision"),
    ("Quyết định tặng Giấy khen cho các tập thể, cá nhân", "decision"),
    ("to trinh de nghi tang bang khen bo truong", "submission"),
    ("bien ban hop hoi dong xet de nghi bang khen", "minutes"),
    ("huong dan phong trao doi moi sang tao trong day va hoc 2016 2020", "letter"),
    # words out of order
    ("giấy khen tặng quyết định 2024-2025", "decision"),
    ("dạy và học đổi mới sáng tạo hướng dẫn 1140", "seed_letter"),
    # a phrase from the body, quoted and not
    ('"cứu hộ học sinh trong mưa lũ"', "phrase"),
    ("vận chuyển đề thi và bài thi", "secret"),
    ("tham hoi dong vien can bo bi thuong mua lu", "injured"),
    ('"thi đua ái quốc"', "the plan"),
    # a date in its three written forms
    ("ngày 18 tháng 9 năm 2017 phong trào", "letter"),
    ("18/09/2017 phong trào", "letter"),
    ("18/9/2017 hướng dẫn", "letter"),
]


# The guidance letter of 18/09/2017 is in the archive twice: imported (seed 002, its own
# number 1140) and issued again from the example (number 01): either is the one meant. So is
# the plan (seed 000 imported, and the example issued): the same text, the same score.
SAME = {"letter": ("seed_letter", "letter_2017"), "the plan": ("seed_plan", "plan")}


# Words nearly every document has (`quyết định`, `khen thưởng`, `giáo viên`): what a document
# is (its type name and subject) must still tell it apart from the many that merely mention them.
COMMON_WORDS = [
    ("quyết định khen thưởng", "decision"),
    ("quyet dinh khen thuong", "decision"),
    ("tờ trình khen thưởng", "submission"),
    ("biên bản họp hội đồng", "minutes"),
    ("công văn khen thưởng đột xuất", "phrase"),
    ("giáo viên bị thương", "injured"),
    ("tiền thưởng giáo viên", "bonus"),
]


@pytest.mark.parametrize("query, wanted", KNOWN_ITEMS + COMMON_WORDS)
def test_known_item_is_found_first(library, query, wanted):
    if wanted in SAME:
        assert sorted(rank(library, query, role) for role in SAME[wanted]) == [1, 2]
    else:
        assert rank(library, query, wanted, include_secret=wanted == "secret") == 1


def test_number_symbol_finds_the_document_first_and_those_citing_it_below(library):
    results = library["index"].search("1374/KH-BGD&ĐT", limit=50)
    keys = [hit.key for hit in results.hits]
    assert keys[0] == library["keys"]["ministry"]
    # The plan and the submission cite "Kế hoạch số 1374/KH-BGD&ĐT": found too, below it.
    assert {library["keys"]["plan"], library["keys"]["submission"]} <= set(keys[1:])


def test_marked_query_ranks_exact_marks_first(library):
    ranks = {role: rank(library, "thưởng", role) for role in ("bonus", "injured")}
    assert ranks["bonus"] is not None and ranks["injured"] is not None
    assert ranks["bonus"] < ranks["injured"]
    ranks = {role: rank(library, "bị thương", role) for role in ("bonus", "injured")}
    assert ranks["injured"] == 1 and (ranks["bonus"] is None or ranks["bonus"] > 1)


def test_query_without_marks_finds_both_spellings(library):
    assert rank(library, "thuong", "bonus") is not None
    assert rank(library, "thuong", "injured") is not None


def test_phrase_and_close_words_rank_above_scattered_syllables(library):
    assert rank(library, "khen thưởng đột xuất", "phrase") == 1
    phrase, scattered = rank(library, "khen thưởng", "phrase"), rank(library, "khen thưởng", "scattered")
    assert phrase is not None and scattered is not None and phrase < scattered


def test_decomposed_input_is_the_same_query(library):
    for query, wanted in [("quyết định tặng giấy khen", "decision"), ("1140/SGD&ĐT-VP công văn", "seed_letter"),
                          ("thưởng", "bonus")]:
        nfd = unicodedata.normalize("NFD", query)
        assert len(nfd) > len(query)
        assert rank(library, nfd, wanted) == rank(library, query, wanted)


@pytest.mark.parametrize("query", ['"thi đua', "((( AND", "***", ":", "-", "kind:xyz OR", '""', "“Đổi mới",
                                   "\x00\x07", "a" * 1000, "đổi mới)) sáng:tạo ^2 ~"])
def test_malformed_queries_fall_back_to_plain_words(library, query):
    results = library["index"].search(query)
    assert isinstance(results.hits, list)


def test_unclosed_quote_reads_the_words(library):
    results = library["index"].search('"cứu hộ học sinh')
    assert results.hits[0].key == library["keys"]["phrase"]
    assert any("quotation" in notice for notice in results.notices)


def test_secret_documents_are_left_out_unless_asked(library):
    index, secret = library["index"], library["keys"]["secret"]
    assert secret not in [h.key for h in index.search("phương án bảo vệ đề thi", limit=50).hits]
    assert secret not in [h.key for h in index.search("", limit=100).hits]
    shown = index.search("phương án bảo vệ đề thi", include_secret=True).hits
    assert shown[0].key == secret and shown[0].secrecy == "MẬT"


def test_secret_documents_are_not_counted_unless_asked(library):
    query = "vận chuyển đề thi và bài thi"
    hidden, shown = library["index"].search(query), library["index"].search(query, include_secret=True)
    assert library["keys"]["secret"] not in {h.key for h in hidden.hits}
    assert shown.total == hidden.total + 1
    assert shown.by_kind["cong_van"] == hidden.by_kind.get("cong_van", 0) + 1
    assert shown.by_year[2025] == hidden.by_year.get(2025, 0) + 1


def test_filters(library):
    index, keys = library["index"], library["keys"]

    def found(query="", **filters):
        return {h.key for h in index.search(query, filters=Filters(**filters), limit=100).hits}

    assert found("khen", kind="to_trinh") == {keys["submission"]}
    assert found(year=2017) == {keys["letter_2017"], keys["seed_letter"]}
    assert found(date_from=dt.date(2025, 9, 1), date_to=dt.date(2025, 9, 3)) == {
        keys["bonus"], keys["injured"], keys["phrase"]}
    assert found(date_from=dt.date(2025, 9, 6)) == {keys["revoked"], keys["revoker"]}
    assert found(date_to=dt.date(2017, 12, 31)) == {keys["letter_2017"], keys["seed_letter"]}
    # Signer with or without marks; unit; status.
    assert keys["scattered"] in found(signer="dam van hung") and keys["scattered"] in found(signer="Đàm Văn Hùng")
    assert keys["bonus"] not in found(signer="Đàm Văn Hùng")
    assert found(unit="gdtrh") == {keys["scattered"]}
    assert found(status="revoked") == {keys["revoked"]}
    assert found(status="imported") == {keys["seed_letter"], keys["seed_plan"], keys["ministry"]}


def test_bad_filters_are_refused_clearly(library):
    from docgen.errors import DocgenError

    with pytest.raises(DocgenError, match="--from"):
        library["index"].search("x", filters=Filters(date_from=dt.date(2025, 2, 1), date_to=dt.date(2025, 1, 1)))


def test_counts_by_kind_and_year_cover_every_match(library):
    results = library["index"].search("thi đua", limit=1)
    every = library["index"].search("thi đua", limit=100).hits
    assert len(results.hits) == 1 and results.total == len(every)
    assert sum(results.by_kind.values()) == results.total
    assert results.by_year == {year: sum(1 for h in every if h.date and int(h.date[:4]) == year)
                               for year in {int(h.date[:4]) for h in every if h.date}}
    assert results.by_kind["cong_van"] == sum(1 for h in every if h.kind == "cong_van") >= 2


def test_snippet_marks_the_matched_words(library):
    hit = library["index"].search("cứu hộ học sinh").hits[0]
    marked = [hit.snippet[s:e] for s, e in hit.highlights]
    assert {"cứu", "hộ", "học", "sinh"} <= {m.lower() for m in marked}


def test_sort_by_date_puts_the_newest_first(library):
    hits = library["index"].search("thi đua", sort="date", limit=100).hits
    dates = [h.date for h in hits if h.date]
    assert dates == sorted(dates, reverse=True)
    assert hits[-1].date is None  # the seed plan lost its date line: undated last


def test_a_pasted_page_is_searched_by_its_first_words(library):
    """A query is bounded: a passage pasted as the query (under the 1,000 characters a query may
    have) finds its document by its first 64 words."""
    page = ("Phương án bảo vệ đề thi tuyển sinh, vận chuyển đề thi và bài thi. " * 14).strip()
    assert len(page) < 1000 and len(page.split()) > 64
    results = library["index"].search(page, include_secret=True)
    assert results.hits[0].key == library["keys"]["secret"]
    assert any("first 64 words" in notice for notice in results.notices)
    cut = library["index"].search('"' + page + '"', include_secret=True)  # a phrase cut short, still a phrase
    assert [len(phrase) for phrase in cut.query.phrases] == [64] and not any("quotation" in n for n in cut.notices)
