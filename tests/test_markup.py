from docgen.markup import end_content, parse, parse_inline

PLAN = """
# Mục đích, yêu cầu
## Mục đích
Đẩy mạnh thực hiện Nghị quyết
số 29-NQ/TW.
## Yêu cầu
- Triển khai sâu rộng;
+ trong các cơ sở giáo dục;
### Tập thể
### Cá nhân
### Học sinh
# III. Tổ chức thực hiện
## 1. Văn phòng Sở
"""


def numbers(blocks):
    return [b.number for b in blocks if b.number]


def test_heading_numbers_follow_the_structure_not_what_was_typed():
    blocks = parse(PLAN)
    # The typed "III." and "1." are dropped: the second section is II, its first subsection 1.
    assert numbers(blocks) == ["I.", "1.", "2.", "a)", "b)", "c)", "II.", "1."]
    assert blocks[0].text == "I. MỤC ĐÍCH, YÊU CẦU"
    assert blocks[-1].text == "1. Văn phòng Sở"


def test_decimal_third_level():
    assert numbers(parse(PLAN, level3="decimal"))[3:6] == ["2.1.", "2.2.", "2.3."]


def test_lines_join_into_one_paragraph_and_items_keep_their_marker():
    blocks = parse(PLAN)
    assert blocks[2].style == "p" and blocks[2].text == "Đẩy mạnh thực hiện Nghị quyết số 29-NQ/TW."
    assert blocks[4].text == "- Triển khai sâu rộng;"
    assert blocks[5].style == "subitem" and blocks[5].text == "+ trong các cơ sở giáo dục;"


def test_a_new_line_is_a_new_paragraph():
    blocks = parse("Thực hiện Kế hoạch số 12/KH-SGDĐT.\nSở Giáo dục và Đào tạo hướng dẫn như sau:\n"
                   "đối với các trường: báo cáo trước ngày 20;\nđối với các phòng: báo cáo trước ngày 25.")
    assert [b.text for b in blocks] == [
        "Thực hiện Kế hoạch số 12/KH-SGDĐT.", "Sở Giáo dục và Đào tạo hướng dẫn như sau:",
        "đối với các trường: báo cáo trước ngày 20;", "đối với các phòng: báo cáo trước ngày 25."]


def test_a_line_that_clearly_wraps_a_sentence_is_joined_to_it():
    blocks = parse("Các đơn vị gửi báo cáo về Sở Giáo dục và Đào tạo\n(qua Văn phòng) trước ngày 20 tháng 9\n"
                   "năm 2025, đồng thời gửi bản điện tử “báo cáo\nnhanh” qua thư điện tử.\n"
                   "- Tổ chức tuyên truyền\nrộng rãi;\n- Báo cáo kết quả.")
    assert [b.text for b in blocks] == [
        "Các đơn vị gửi báo cáo về Sở Giáo dục và Đào tạo (qua Văn phòng) trước ngày 20 tháng 9 năm 2025, "
        "đồng thời gửi bản điện tử “báo cáo nhanh” qua thư điện tử.",
        "- Tổ chức tuyên truyền rộng rãi;", "- Báo cáo kết quả."]


def test_kinds_explains_the_line_rule_for_kinds_written_in_markup():
    from click.testing import CliRunner

    from cli import cli

    shown = CliRunner().invoke(cli, ["kinds", "cong_van"]).output
    assert "A new line is a new paragraph" in shown and "starts in lower case" in shown
    assert "A new line is a new paragraph" not in CliRunner().invoke(cli, ["kinds", "quyet_dinh_khen_thuong"]).output


def test_inline_bold_italic_and_literal_asterisk():
    spans = parse_inline(r"**Điều** và *nghiêng* và \* sao")
    assert [(s.text, s.bold, s.italic) for s in spans] == [
        ("Điều", True, False), (" và ", False, False), ("nghiêng", False, True), (" và * sao", False, False)]


def test_content_ends_with_dot_slash_dot():
    blocks = end_content(parse("Đoạn cuối cùng."))
    assert blocks[-1].text == "Đoạn cuối cùng./."
    assert end_content(parse("Đã có./."))[-1].text == "Đã có./."


def test_run_in_points_keep_the_number_and_emphasise_only_the_label():
    blocks = parse("## Đối với các đơn vị: | định kỳ hằng năm.\n## | Chủ động phát hiện.\n### Tập thể: | Các trường.")
    assert [b.number for b in blocks] == ["1.", "2.", "a)"]
    assert all(b.style == "p" for b in blocks)
    first, second, third = blocks
    assert first.text == "1. Đối với các đơn vị: định kỳ hằng năm."
    assert first.spans[0].bold and not first.spans[1].bold
    assert second.text == "2. Chủ động phát hiện."
    assert third.spans[0].italic and third.text == "a) Tập thể: Các trường."


def test_literal_text_survives_markup():
    from docgen.markup import literal

    for text in ("Tổ *Toán* - Tin", "# không phải đề mục", "- không phải gạch đầu dòng", "+ cộng", "a | b"):
        blocks = parse(literal(text))
        assert [b.text for b in blocks] == [text]
        assert blocks[0].style == "p" and not any(s.bold or s.italic for s in blocks[0].spans)
