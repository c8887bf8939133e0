"""Eligibility from the rules file: each rejection names the rule and the missing fact."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from docgen.dossier import load_rules, read_nominee_list
from docgen.dossier.details import NomineeDetail
from docgen.dossier.eligibility import facts_for, judge
from docgen.dossier.nominee_sheet import CouncilSize
from docgen.dossier.rules import DEFAULT_RULES
from docgen.errors import DataError

from .test_dossier_sheet import write_xlsx

OFFICE_RULES = {
    "settings": {"base_salary": 2340000},
    "initiative_levels": [
        {"key": "co_so", "name": "cấp cơ sở", "words": ["cấp cơ sở"]},
        {"key": "tinh", "name": "cấp tỉnh", "words": ["cấp tỉnh"]},
    ],
    "titles": {"cstdcs": {"name": "Chiến sĩ thi đua cơ sở", "aliases": ["CSTĐCS"]},
               "ldtt": {"name": "Lao động tiên tiến", "aliases": ["LĐTT"]}},
    "awards": {
        "bang_khen": {
            "name": "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo",
            "aliases": ["Bằng khen Bộ trưởng"],
            "rules": [
                {"id": "phieu-70", "title": "Được từ 70% tổng số thành viên Hội đồng đồng ý",
                 "basis": "Quy chế Hội đồng TĐKT Sở", "council_vote": {"min_percent": 70}},
                {"id": "cstdcs-2-nam", "title": "Có 02 năm liên tục đạt Chiến sĩ thi đua cơ sở", "for": "individual",
                 "titles": {"title": "cstdcs", "times": 2, "consecutive": True, "within_period": True}},
                {"id": "sang-kien", "title": "Có sáng kiến hoặc nhiều năm Lao động tiên tiến", "for": "individual",
                 "any_of": [{"initiatives": {"min": 1, "level": "tinh"}},
                            {"titles": {"title": "ldtt", "times": 3}}]},
            ],
        },
        "cstd_co_so": {"name": "Chiến sĩ thi đua cơ sở", "for": "individual",
                       "rules": [{"id": "phieu", "title": "Quá bán", "council_vote": {"min_percent": 50, "above": True}}]},
    },
}
PERIOD = (2020, 2025)


@pytest.fixture
def office_rules(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(OFFICE_RULES, allow_unicode=True), encoding="utf-8")
    return load_rules(path)


def verdicts(tmp_path, rules, rows, details=None):
    header = ["STT", "Họ và tên", "Loại", "Ngày sinh", "Đơn vị", "Hình thức đề nghị", "Số phiếu đồng ý",
              "Năm đạt CSTĐCS", "Năm đạt LĐTT", "Sáng kiến"]
    path = write_xlsx(tmp_path / "list.xlsx", {"DS": [header, *rows]})
    listed = read_nominee_list(path, rules=rules, council=CouncilSize(10, 11), today=dt.date(2025, 6, 20))
    details = details or {}
    return {e.name: judge(e, facts_for(e, details.get(e.name), rules, 11), "bang_khen", rules, period=PERIOD)
            for e in listed.entries}


def test_the_default_rules_file_loads_and_says_what_it_leaves_out():
    rules = load_rules()
    assert rules.settings.base_salary == 2340000
    assert rules.award_key("bang khen cua bo truong bo gd&dt") == "bang_khen_bo_truong"
    assert rules.bonus_amounts("giay_khen_giam_doc") == (1404000, 702000)
    text = DEFAULT_RULES.read_text(encoding="utf-8")
    assert "NOT encoded" in text and "not a figure from the law" in text
    for award in rules.awards.values():
        assert all(rule.id and rule.title and rule.basis for rule in award.rules)


def test_the_default_rules_ask_for_more_than_half_of_the_council(tmp_path):
    rules = load_rules()
    header = ["STT", "Họ và tên", "Loại", "Ngày sinh", "Đơn vị", "Số phiếu đồng ý"]
    path = write_xlsx(tmp_path / "default.xlsx", {"DS": [header,
                                                         [1, "Lý Văn Thịnh", "Cá nhân", "05/09/1972", "Trường THPT", 6],
                                                         [2, "Lục Thị Mai", "Cá nhân", "20/02/1988", "Trường TH", 5]]})
    listed = read_nominee_list(path, rules=rules, council=CouncilSize(10, 11), today=dt.date(2025, 6, 20))
    thinh, mai = (judge(e, facts_for(e, None, rules, 11), "bang_khen_bo_truong", rules, period=PERIOD)
                  for e in listed.entries)
    assert thinh.accepted  # 6 of 11 is more than half
    (reason,) = mai.reasons
    assert reason.rule == "phieu-hoi-dong" and reason.vote and mai.put_to_vote
    assert "được 05/11 phiếu (45,45%), cần trên 50%" in str(reason)


def test_rejections_name_the_rule_and_the_missing_fact(tmp_path, office_rules):
    found = verdicts(tmp_path, office_rules, [
        [1, "Nông Thị Thu Hằng", "Cá nhân", "12/04/1983", "Trường THPT Chuyên", None, 10, "2022-2023, 2023-2024", None,
         "Sáng kiến A (cấp tỉnh)"],
        [2, "Lý Văn Thịnh", "Cá nhân", "05/09/1972", "Trường THPT", None, 7, "2021, 2023", "2021, 2022, 2023", None],
        [3, "Lục Thị Mai", "Cá nhân", "20/02/1988", "Trường TH", None, 9, "2019, 2020", None, 2],
        [4, "Trường THCS Hợp Giang", "Tập thể", None, "Phòng GD&ĐT", None, 8, None, None, None],
        [5, "Bế Thị Hương", "Cá nhân", "18/06/1985", "Trường MN", "Chiến sĩ thi đua cơ sở", 9, None, None, None],
    ])
    assert found["Nông Thị Thu Hằng"].accepted
    assert found["Trường THCS Hợp Giang"].accepted  # the individual rules do not apply to a collective

    thinh = {r.rule: str(r) for r in found["Lý Văn Thịnh"].reasons}
    assert set(thinh) == {"phieu-70", "cstdcs-2-nam"}  # 3 years of LĐTT meet the alternative
    assert "được 07/11 phiếu (63,64%), cần từ 70% trở lên" in thinh["phieu-70"]
    assert "cần 02 lần liên tục đạt “Chiến sĩ thi đua cơ sở” trong giai đoạn 2020-2025; có các năm 2021, 2023" \
        in thinh["cstdcs-2-nam"]
    assert not found["Lý Văn Thịnh"].put_to_vote  # not eligible on the record

    mai = {r.rule: str(r) for r in found["Lục Thị Mai"].reasons}
    assert "có các năm 2020" in mai["cstdcs-2-nam"]  # 2019 is before the movement
    assert "(1) cần ít nhất 01 sáng kiến được công nhận cấp tỉnh trở lên; có 00" in mai["sang-kien"]
    assert "(2) cần 03 lần đạt “Lao động tiên tiến”; danh sách và tệp chi tiết không ghi năm nào" in mai["sang-kien"]

    (other,) = found["Bế Thị Hương"].reasons
    assert other.rule == "hinh-thuc" and "Chiến sĩ thi đua cơ sở" in other.missing


def test_the_detail_file_supplies_earlier_titles_and_initiatives(tmp_path, office_rules):
    detail = NomineeDetail(
        name="Lý Văn Thịnh",
        titles=[{"year": "2022-2023", "title": "Chiến sĩ thi đua cơ sở", "decision": "QĐ số 1/QĐ-SGDĐT"},
                {"year": "2023-2024", "title": "CSTĐCS", "decision": "QĐ số 2/QĐ-SGDĐT"}],
        initiatives=[{"title": "Quản trị số", "recognition": "Quyết định số 12/QĐ-UBND công nhận sáng kiến cấp tỉnh"}],
    )
    found = verdicts(tmp_path, office_rules, [
        [1, "Lý Văn Thịnh", "Cá nhân", "05/09/1972", "Trường THPT", None, 8, None, None, None],
    ], details={"Lý Văn Thịnh": detail})
    assert found["Lý Văn Thịnh"].accepted


def test_an_award_only_for_individuals_rejects_a_collective(tmp_path, office_rules):
    header = ["STT", "Tên tập thể", "Loại", "Đơn vị", "Số phiếu đồng ý"]
    path = write_xlsx(tmp_path / "list.xlsx", {"DS": [header, [1, "Trường THCS Hợp Giang", "Tập thể", "Phòng", 9]]})
    (entry,) = read_nominee_list(path, rules=office_rules, council=CouncilSize(10, 11)).entries
    (reason,) = judge(entry, facts_for(entry, None, office_rules, 11), "cstd_co_so", office_rules, period=PERIOD).reasons
    assert str(reason) == "[doi-tuong] Chiến sĩ thi đua cơ sở chỉ xét cho cá nhân: dòng này là tập thể"


def test_a_rules_file_with_a_wrong_reference_is_refused_naming_it(tmp_path):
    broken = yaml.safe_load(yaml.safe_dump(OFFICE_RULES))
    broken["awards"]["bang_khen"]["rules"][1]["titles"]["title"] = "chien_si_thi_dua"
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_rules(path)
    assert str(path) in str(caught.value) and "'chien_si_thi_dua' is not in `titles`" in str(caught.value)
