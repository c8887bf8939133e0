"""Electronic issuing (issue 13): keys in the home, documents signed by the signer then the agency,
signatures checked by pyHanko's own validator and by `verify-pdf` / `verify`. The PKI is made
here (tests/signing_pki.py); LibreOffice makes the PDFs."""

from __future__ import annotations

import io
import json
import os
import stat

import pytest
from click.testing import CliRunner

from cli import cli
from docgen.signing import AGENCY_FIELD, SIGNER_FIELD, text_lines

from .conftest import AGENCY, EXAMPLES
from .signing_pki import PASSWORD, pkcs12_file, root, tsa_server

DECISION = EXAMPLES / "quyet_dinh_khen_thuong.yaml"  # signed by giam_doc, Đàm Văn Hùng
PLAN = EXAMPLES / "ke_hoach.yaml"  # signed by pho_giam_doc: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC


def run(home, *args, env=None):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)], env=env)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    ca = root()
    (folder / "root.pem").write_bytes(ca.pem)
    (folder / "password").write_bytes(PASSWORD + b"\n")
    pkcs12_file(folder / "agency.p12", ca, "Sở Giáo dục và Đào tạo Cao Bằng")
    pkcs12_file(folder / "giam_doc.p12", ca, "Đàm Văn Hùng")
    pkcs12_file(folder / "pho_giam_doc.p12", ca, "Nguyễn Mai Phương")
    pkcs12_file(folder / "expired.p12", ca, "Đàm Văn Hùng", days=(-400, -1))
    pkcs12_file(folder / "encryption.p12", ca, "Đàm Văn Hùng", signing=False)
    pkcs12_file(folder / "stranger.p12", root("Root CA lạ"), "Đàm Văn Hùng")
    return folder


def make_home(tmp_path, pki, *, trust=True, config=None):
    home = tmp_path / "home"
    extra = ["--config", config] if config else []
    assert run(home, "init", "--agency", AGENCY, *extra).exit_code == 0
    if trust:
        assert run(home, "keys", "trust", pki / "root.pem").exit_code == 0
    for name in ("agency", "giam_doc", "pho_giam_doc"):
        result = run(home, "keys", "set", name, "--pkcs12", pki / f"{name}.p12", "--password-file", pki / "password")
        assert result.exit_code == 0, result.output
    return home


@pytest.fixture(scope="module")
def signed_home(tmp_path_factory, pki, soffice):
    """A home with its keys and the example decision issued with --sign."""
    tmp = tmp_path_factory.mktemp("signed")
    home = make_home(tmp, pki)
    result = run(home, "issue", "quyet_dinh_khen_thuong", DECISION, "--sign", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert not [w for w in info["warnings"] if "sign" in w], info["warnings"]
    signed = next(f for f in info["files"] if f["role"] == "signed")
    return home, info, open(signed["path"], "rb").read()


def validate(pdf: bytes, trust_pem: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from docgen.signing import load_certificate

    reader = PdfFileReader(io.BytesIO(pdf))
    context = ValidationContext(trust_roots=[load_certificate(trust_pem)], allow_fetching=False)
    return reader, [(s.field_name, validate_pdf_signature(s, context)) for s in reader.embedded_signatures]


def test_issue_sign_gives_the_signers_then_the_agencys_signature_both_intact_and_trusted(signed_home, pki):
    _home, info, pdf = signed_home
    _reader, statuses = validate(pdf, (pki / "root.pem").read_bytes())
    assert [name for name, _ in statuses] == [SIGNER_FIELD, AGENCY_FIELD]
    for _name, status in statuses:
        assert status.intact and status.valid and status.trusted and status.bottom_line
    signer, agency = (status.signing_cert.subject.native["common_name"] for _, status in statuses)
    assert (signer, agency) == ("Đàm Văn Hùng", "Sở Giáo dục và Đào tạo Cao Bằng")
    # PAdES: the signer's signature covers its revision; only the agency's signature came after it.
    assert statuses[0][1].coverage.name == "ENTIRE_REVISION" and statuses[0][1].modification_level.name == "FORM_FILLING"
    assert statuses[1][1].coverage.name == "ENTIRE_FILE"
    assert pdf.count(b"/SubFilter /ETSI.CAdES.detached") == 2
    # The unsigned PDF is kept, and is the signed one's first bytes (incremental signatures).
    unsigned = next(f for f in info["files"] if f["role"] == "pdf")
    assert pdf[:unsigned["size"]] == open(unsigned["path"], "rb").read()


def widget_rect(reader, field):
    for page_number, page in enumerate(reader.root["/Pages"]["/Kids"]):
        page = page.get_object() if hasattr(page, "get_object") else page
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/T") == field or annot.get("/Parent", {}).get("/T") == field:
                return page_number, [float(v) for v in annot["/Rect"]]
    raise AssertionError(f"no widget for {field}")


def test_the_signers_appearance_is_visible_inside_the_signature_block(signed_home, pki):
    _home, _info, pdf = signed_home
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf))
    page, (x1, y1, x2, y2) = widget_rect(reader, SIGNER_FIELD)
    assert x2 - x1 > 100 and y2 - y1 > 30  # visible, not a zero-size field
    lines = [line for line in text_lines(pdf) if line.page == page]
    name = next(line for line in lines if line.text == "Đàm Văn Hùng")
    authority = next(line for line in lines if line.text == "GIÁM ĐỐC" and line.y > name.y)
    # Between the authority line and the name, over the name's column.
    assert name.y + name.size <= y1 < y2 <= authority.y
    assert x1 < name.x < x2 and x1 < authority.x < x2
    # The agency's seal covers the left third of the signer's appearance (Appendix I).
    seal_page, (a1, b1, a2, b2) = widget_rect(reader, AGENCY_FIELD)
    assert seal_page == page and abs(a2 - (x1 + (x2 - x1) / 3)) <= 1 and a1 < a2 and (b1, b2) == (y1, y2)


def test_the_block_of_a_deputy_signing_for_the_head_is_under_both_authority_lines(tmp_path, pki, soffice):
    home = make_home(tmp_path, pki)
    result = run(home, "issue", "ke_hoach", PLAN, "--sign", "--json")
    assert result.exit_code == 0, result.output
    signed = next(f for f in json.loads(result.stdout)["files"] if f["role"] == "signed")
    pdf = open(signed["path"], "rb").read()
    from pyhanko.pdf_utils.reader import PdfFileReader

    page, (x1, y1, x2, y2) = widget_rect(PdfFileReader(io.BytesIO(pdf)), SIGNER_FIELD)
    lines = [line for line in text_lines(pdf) if line.page == page]
    name = next(line for line in lines if line.text == "Nguyễn Mai Phương")
    title = next(line for line in lines if line.text == "PHÓ GIÁM ĐỐC" and line.y > name.y)
    assert name.y + name.size <= y1 < y2 <= title.y and x1 < name.x < x2


def test_verify_pdf_reports_each_signature_and_exits_0_when_all_hold(signed_home, pki, tmp_path):
    home, _info, pdf = signed_home
    path = tmp_path / "qd.pdf"
    path.write_bytes(pdf)
    result = run(tmp_path / "no-home", "verify-pdf", path, "--trust", pki / "root.pem", "--json")
    assert result.exit_code == 0, result.output
    [checked] = json.loads(result.stdout)["files"]
    first, second = checked["signatures"]
    assert (first["signer"], first["organisation"]) == ("Đàm Văn Hùng", "Sở Giáo dục và Đào tạo Cao Bằng")
    assert first["intact"] and first["trusted"] and first["covers_document"] and first["signed_at"]
    assert first["added_after"] == "signatures or form values" and second["added_after"] is None
    # The home's trusted roots count without --trust.
    assert run(home, "verify-pdf", path).exit_code == 0


def test_verify_pdf_exits_1_for_an_untrusted_or_unsigned_pdf(signed_home, tmp_path, pki):
    _home, info, pdf = signed_home
    path = tmp_path / "qd.pdf"
    path.write_bytes(pdf)
    result = run(tmp_path / "no-home", "verify-pdf", path)
    assert result.exit_code == 1 and "trusted: NO" in result.output and "untrusted" in result.output
    unsigned = next(f for f in info["files"] if f["role"] == "pdf")["path"]
    result = run(tmp_path / "no-home", "verify-pdf", unsigned, "--trust", pki / "root.pem")
    assert result.exit_code == 1 and "no digital signature" in result.output
    result = run(tmp_path / "no-home", "verify-pdf", path, "--trust", unsigned)
    assert result.exit_code == 2 and "not a certificate in PEM or DER" in result.output


@pytest.mark.parametrize("where", [0.02, 0.3, 0.6, 0.8, 0.97])
def test_a_byte_changed_anywhere_makes_verify_pdf_exit_1(signed_home, pki, tmp_path, where):
    _home, _info, pdf = signed_home
    changed = bytearray(pdf)
    position = int(len(pdf) * where)
    changed[position] = (changed[position] + 1) % 256 if changed[position] not in b" \n\r" else ord("x")
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(changed))
    result = run(tmp_path / "no-home", "verify-pdf", path, "--trust", pki / "root.pem")
    assert result.exit_code == 1, (position, result.output)


def test_verify_checks_the_stored_signatures(signed_home):
    home, _info, _pdf = signed_home
    result = run(home, "verify", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["problems"] == []


def test_keys_are_private_and_no_password_is_written_in_the_home(signed_home):
    home, _info, _pdf = signed_home
    keys = home / "keys"
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700
    for path in keys.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder, _dirs, files in os.walk(home):
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                assert PASSWORD not in handle.read(), name
    listed = json.loads(run(home, "keys", "list", "--json").stdout)["keys"]
    assert {k["name"]: k["subject"] for k in listed} == {"agency": "Sở Giáo dục và Đào tạo Cao Bằng",
                                                        "giam_doc": "Đàm Văn Hùng",
                                                        "pho_giam_doc": "Nguyễn Mai Phương"}
    assert all(k["password"] == {"file": k["password"]["file"]} for k in listed)


@pytest.mark.parametrize("key, message", [
    ("expired.p12", "expired on"),
    ("encryption.p12", "not for signing"),
    ("stranger.p12", "does not chain to a root this home trusts"),
])
def test_keys_set_refuses_a_certificate_that_cannot_sign(tmp_path, pki, key, message):
    home = tmp_path / "home"
    assert run(home, "init", "--agency", AGENCY).exit_code == 0
    assert run(home, "keys", "trust", pki / "root.pem").exit_code == 0
    result = run(home, "keys", "set", "giam_doc", "--pkcs12", pki / key, "--password-file", pki / "password")
    assert result.exit_code == 2 and message in result.output, result.output
    assert json.loads(run(home, "keys", "list", "--json").stdout)["keys"] == []


def test_keys_set_refuses_a_wrong_password_and_an_unknown_name(tmp_path, pki):
    home = tmp_path / "home"
    assert run(home, "init", "--agency", AGENCY).exit_code == 0
    wrong = tmp_path / "wrong"
    wrong.write_text("sai")
    result = run(home, "keys", "set", "agency", "--pkcs12", pki / "agency.p12", "--password-file", wrong)
    assert result.exit_code == 2 and "wrong password" in result.output
    result = run(home, "keys", "set", "ai_do", "--pkcs12", pki / "agency.p12", "--password-file", pki / "password")
    assert result.exit_code == 2 and "giam_doc" in result.output
    # From an environment variable; then removed.
    result = run(home, "keys", "set", "agency", "--pkcs12", pki / "agency.p12", "--password-env", "KEY_PASS",
                 env={"KEY_PASS": PASSWORD.decode()})
    assert result.exit_code == 0, result.output
    assert run(home, "keys", "remove", "agency").exit_code == 0
    assert not list((home / "keys").iterdir())
    (tmp_path / "outside.json").write_text("{}")
    result = run(home, "keys", "remove", "../../outside")
    assert result.exit_code == 2 and (tmp_path / "outside.json").exists()


def test_issue_sign_without_keys_issues_nothing(tmp_path, pki):
    home = tmp_path / "home"
    assert run(home, "init", "--agency", AGENCY).exit_code == 0
    result = run(home, "issue", "quyet_dinh_khen_thuong", DECISION, "--sign")
    assert result.exit_code == 2 and "docgen keys set" in result.output
    assert json.loads(run(home, "list", "--json").stdout)["count"] == 0


def test_a_signing_failure_leaves_the_document_issued_and_sign_retries(tmp_path, pki, soffice):
    config = tmp_path / "config.yaml"
    config.write_text("signing:\n  timestamp_url: http://127.0.0.1:9/tsa\n")  # nobody answers there
    home = make_home(tmp_path, pki, config=config)
    result = run(home, "issue", "quyet_dinh_khen_thuong", DECISION, "--sign", "--json")
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert [f["role"] for f in info["files"]] == ["docx", "pdf"]
    assert any("not signed" in w and f"docgen sign {info['id']}" in w for w in info["warnings"])
    os.chmod(home / "config.yaml", 0o600)
    (home / "config.yaml").write_text("signing: {}\n")
    result = run(home, "sign", info["number_symbol"], "--json")
    assert result.exit_code == 0, result.output
    signed = json.loads(result.stdout)
    assert "signed" in {f["role"] for f in signed["files"]} and signed["size_added"] > 0
    assert run(home, "sign", str(info["id"])).exit_code == 2  # already signed
    shown = json.loads(run(home, "show", str(info["id"]), "--json").stdout)
    assert [e["action"] for e in shown["history"]][-1] == "sign"
    out = tmp_path / "out.pdf"
    assert run(home, "get", str(info["id"]), "-o", out).exit_code == 0
    assert out.read_bytes() == open(next(f["path"] for f in signed["files"] if f["role"] == "signed"), "rb").read()
    assert run(home, "verify").exit_code == 0


def test_with_a_timestamp_server_both_signatures_carry_a_trusted_timestamp(tmp_path, soffice):
    ca = root()
    (tmp_path / "root.pem").write_bytes(ca.pem)
    (tmp_path / "password").write_bytes(PASSWORD)
    pkcs12_file(tmp_path / "agency.p12", ca, "Sở Giáo dục và Đào tạo Cao Bằng")
    for name in ("giam_doc", "pho_giam_doc"):
        pkcs12_file(tmp_path / f"{name}.p12", ca, "Đàm Văn Hùng")
    url, stop = tsa_server(ca)
    try:
        config = tmp_path / "config.yaml"
        config.write_text(f"signing:\n  timestamp_url: {url}\n")
        home = make_home(tmp_path, tmp_path, config=config)
        result = run(home, "issue", "quyet_dinh_khen_thuong", DECISION, "--sign", "--json")
    finally:
        stop()
    assert result.exit_code == 0, result.output
    signed = next(f for f in json.loads(result.stdout)["files"] if f["role"] == "signed")
    _reader, statuses = validate(open(signed["path"], "rb").read(), ca.pem)
    for _name, status in statuses:  # PAdES B-T: a signature timestamp from the server, trusted
        assert status.bottom_line and status.timestamp_validity.intact and status.timestamp_validity.trusted
    checked = json.loads(run(home, "verify-pdf", signed["path"], "--json").stdout)["files"][0]
    assert checked["ok"] and all(s["timestamp"] for s in checked["signatures"])


def test_signing_is_in_the_change_log(signed_home):
    from archive import Archive

    home, info, _pdf = signed_home
    with Archive.open(home) as archive:
        changes = archive.changes_since(0)
    assert [(c.action, c.document_id) for c in changes][-2:] == [("issue", info["id"]), ("sign", info["id"])]


def test_an_imported_signed_pdf_records_its_signatures(signed_home, tmp_path):
    home, _info, pdf = signed_home
    other = tmp_path / "other"
    assert run(other, "init", "--agency", AGENCY).exit_code == 0
    received = tmp_path / "cong-van-den.pdf"
    received.write_bytes(pdf)
    result = run(other, "import", received, "--json")
    assert result.exit_code == 0, result.output
    [item] = json.loads(result.stdout)["imported"]
    signer, agency = item["signatures"]
    assert (signer["signer"], signer["intact"], signer["covers_document"]) == ("Đàm Văn Hùng", True, True)
    assert agency["organisation"] == "Sở Giáo dục và Đào tạo Cao Bằng"
    # This home trusts no root: the facts say so, and the import's audit row keeps them.
    assert not signer["trusted"] and any("untrusted" in p for p in signer["problems"])
    assert json.loads(run(other, "verify", "--json").stdout)["problems"] == []
    copy = tmp_path / "ban-sao.pdf"
    copy.write_bytes(pdf + b"\n")  # another file (one byte after the last revision): imported, and told
    result = run(other, "import", copy)
    assert result.exit_code == 0 and "signed by Đàm Văn Hùng (Sở Giáo dục và Đào tạo Cao Bằng)" in result.output


def test_sign_asks_for_the_pdf_first_and_issue_sign_needs_it(tmp_path, pki):
    home = make_home(tmp_path, pki)
    result = run(home, "issue", "quyet_dinh_khen_thuong", DECISION, "--sign", "--no-pdf")
    assert result.exit_code == 2 and "--no-pdf" in result.output
    assert json.loads(run(home, "list", "--json").stdout)["count"] == 0  # no number used
    assert run(home, "issue", "quyet_dinh_khen_thuong", DECISION, "--no-pdf").exit_code == 0
    result = run(home, "sign", "1")
    assert result.exit_code == 2 and "docgen pdf 1" in result.output


def test_a_pdf_without_the_signers_name_has_no_signature_block(signed_home):
    from docgen.signing import SigningError, find_signature_block

    _home, _info, pdf = signed_home
    assert find_signature_block(pdf, "  Đàm   Văn Hùng ").page == 0
    with pytest.raises(SigningError, match="no signature block found: the PDF has no line 'Trần Văn A'"):
        find_signature_block(pdf, "Trần Văn A")


def test_the_seal_and_signature_images_are_drawn_in_the_appearances(tmp_path, pki, soffice):
    from PIL import Image, ImageDraw
    from pyhanko.pdf_utils.reader import PdfFileReader

    seal, signature = tmp_path / "dau.png", tmp_path / "chu-ky.png"
    for path, size, colour in ((seal, (200, 200), (220, 0, 0, 255)), (signature, (300, 100), (0, 40, 200, 255))):
        image = Image.new("RGBA", size, (0, 0, 0, 0))
        ImageDraw.Draw(image).ellipse((5, 5, size[0] - 5, size[1] - 5), outline=colour, width=8)
        image.save(path)
    home = make_home(tmp_path, pki)
    for name, picture in (("agency", seal), ("giam_doc", signature)):
        result = run(home, "keys", "set", name, "--pkcs12", pki / f"{name}.p12", "--password-file", pki / "password",
                     "--seal-image" if name == "agency" else "--signature-image", picture)
        assert result.exit_code == 0, result.output
    bad = tmp_path / "not.png"
    bad.write_text("<svg/>")
    result = run(home, "keys", "set", "agency", "--pkcs12", pki / "agency.p12", "--password-file", pki / "password",
                 "--seal-image", bad)
    assert result.exit_code == 2 and "not a PNG image" in result.output
    result = run(home, "issue", "quyet_dinh_khen_thuong", DECISION, "--sign", "--json")
    assert result.exit_code == 0, result.output
    signed = next(f for f in json.loads(result.stdout)["files"] if f["role"] == "signed")
    reader = PdfFileReader(io.BytesIO(open(signed["path"], "rb").read()))
    for field in (SIGNER_FIELD, AGENCY_FIELD):
        page, _rect = widget_rect(reader, field)
        annot = next(a.get_object() for a in reader.root["/Pages"]["/Kids"][page].get_object()["/Annots"]
                     if a.get_object().get("/T") == field)
        appearance = annot["/AP"]["/N"]
        images = [x for x in _xobjects(appearance) if x.get("/Subtype") == "/Image"]
        assert images, f"no image in the appearance of {field}"


def _xobjects(stream):
    """Every XObject an appearance stream draws, through nested forms."""
    found = []
    for xobject in stream.get("/Resources", {}).get("/XObject", {}).values():
        xobject = xobject.get_object()
        found.append(xobject)
        if xobject.get("/Subtype") == "/Form":
            found += _xobjects(xobject)
    return found


def test_the_web_hands_out_the_signed_pdf_as_the_cli_does(signed_home):
    from fastapi.testclient import TestClient

    from web.app import create_app

    home, info, signed = signed_home
    assert run(home, "user", "add", "donvi", "--role", "reader", "--no-password").exit_code == 0
    token = json.loads(run(home, "token", "create", "donvi", "--json").stdout)["token"]
    answer = TestClient(create_app(home)).get(f"/api/documents/{info['id']}/pdf",
                                              headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.content == signed
