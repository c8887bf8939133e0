"""The archive as a library: lawful numbers, registers, relations, integrity, recovery.

Real SQLite files, a real PostgreSQL cluster (tests/postgres.py) and real files in a temporary
home; no mocks. Tests taking `archive` run on both databases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3

import pytest

from archive import (Archive, ArchiveError, find_document, issue_document, list_documents, load_record, replace,
                     revoke, verify)
from archive.schema import SCHEMA_VERSION
from docgen.errors import DataError, DocgenError

from .conftest import AGENCY, EXAMPLES
from .test_render import PLAN

# A plan as a clerk writes it for an archive: the home's agency file is used.
DATA = {k: v for k, v in PLAN.items() if k != "agency"}


def issue(archive, date, kind="ke_hoach", data=None, **changes):
    return issue_document(archive, kind, data or {**DATA, **changes}, date=dt.date.fromisoformat(date), pdf=False).record


@pytest.fixture
def archive(tmp_path, database):
    """A new home on each database: the embedded SQLite, then PostgreSQL."""
    with Archive.init(tmp_path / "home", AGENCY, database=database) as opened:
        yield opened


@pytest.fixture
def sqlite_archive(tmp_path):
    with Archive.init(tmp_path / "home", AGENCY) as opened:
        yield opened


def trace(archive) -> dict:
    """Everything an issue could leave behind."""
    db = archive.db
    return {
        "documents": db.execute("SELECT count(*) FROM documents").fetchone()[0],
        "files": db.execute("SELECT count(*) FROM files").fetchone()[0],
        "audit": db.execute("SELECT count(*) FROM audit").fetchone()[0],
        "store": sorted(p.name for p in archive.store.walk()),
        "staging": sorted(os.listdir(archive.store.staging)),
    }


def test_numbers_start_at_01_and_follow_the_order_of_issue(archive):
    first = issue(archive, "2025-01-05")
    second = issue(archive, "2025-01-05")
    third = issue(archive, "2025-02-10")
    assert [d.number_symbol for d in (first, second, third)] == ["01/KH-SGD&ĐT", "02/KH-SGD&ĐT", "03/KH-SGD&ĐT"]
    assert (third.register, third.year, third.date) == ("chung", 2025, "2025-02-10")
    # The rendered DOCX carries its number and date (docgen rendered it with them).
    import docx
    text = "\n".join(c.text for t in docx.Document(third.files["docx"].path).tables
                     for r in t.rows for c in r.cells)
    assert "Số: 03/KH-SGD&ĐT" in text and "ngày 10 tháng 02 năm 2025" in text


def test_the_record_holds_every_archive_field_of_the_domain(archive):
    record = issue(archive, "2025-01-05", urgency="KHẨN", copies=30)
    expected = {"number": 1, "symbol": "KH-SGD&ĐT", "number_symbol": "01/KH-SGD&ĐT", "type_name": "KẾ HOẠCH",
                "type_code": "KH", "subject": DATA["subject"], "date": "2025-01-05", "place": "Cao Bằng",
                "agency": "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "parent_agency": "UBND TỈNH CAO BẰNG",
                "drafting_unit": "VP", "signer_name": "Nguyễn Mai Phương", "signer_title": "PHÓ GIÁM ĐỐC",
                "signing_authority": "KT. GIÁM ĐỐC", "secrecy": None, "urgency": "KHẨN", "copies": 30,
                "language": "vi", "status": "issued", "file_copy": "VT, VP"}
    assert {k: getattr(record, k) for k in expected} == expected
    assert record.recipients[-1] == "- Lưu: VT, VP, (30)."  # copies alone are printed too (Decree 30, Appendix I, item 12)
    docx_file = record.files["docx"]
    with open(docx_file.path, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == docx_file.sha256
    assert record.issued_by and record.issued_at.startswith(str(dt.date.today().year))


def test_year_rollover_starts_again_at_01(archive):
    assert issue(archive, "2024-12-30").number_symbol == "01/KH-SGD&ĐT"
    assert issue(archive, "2024-12-31").number == 2
    new_year = issue(archive, "2025-01-01")
    assert (new_year.year, new_year.number) == (2025, 1)
    # A document signed on 31 December and registered after New Year still closes 2024.
    late = issue(archive, "2024-12-31")
    assert (late.year, late.number) == (2024, 3)
    assert issue(archive, "2025-01-02").number == 2
    # 01/KH-SGD&ĐT now exists in two years: naming it needs the year (or the id).
    with pytest.raises(ArchiveError, match="give --year or its id"):
        find_document(archive.db, "01/KH-SGD&ĐT")
    assert find_document(archive.db, "01/KH-SGD&ĐT", year=2025) == new_year.id
    assert find_document(archive.db, "1/kh-sgd&đt", year=2025) == new_year.id  # as people type it
    assert verify(archive).ok


def test_secret_documents_take_their_own_register(archive):
    issue(archive, "2025-03-01")
    secret = issue(archive, "2025-03-02", secrecy="MẬT")
    after = issue(archive, "2025-03-03")
    assert (secret.register, secret.number, secret.secrecy) == ("mat", 1, "MẬT")
    assert (after.register, after.number) == ("chung", 2)
    assert verify(archive).ok


def test_a_council_numbers_in_its_own_register(archive):
    minutes = issue_document(archive, "bien_ban", EXAMPLES / "bien_ban.yaml", pdf=False).record
    plan = issue(archive, "2025-06-11")
    assert (minutes.register, minutes.number_symbol, minutes.date) == ("HĐTĐKT", "01/BB-HĐTĐKT", "2025-06-10")
    assert (plan.register, plan.number) == ("chung", 1)


def test_an_office_may_split_its_registers_by_type(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("registers:\n  by_type:\n    KH: ke-hoach\nretention:\n  ke_hoach: 10 năm\n", encoding="utf-8")
    with Archive.init(tmp_path / "home", AGENCY, config=config) as archive:
        plan = issue(archive, "2025-01-05")
        letter = issue_document(archive, "cong_van", EXAMPLES / "cong_van.yaml", date=dt.date(2025, 1, 6),
                                pdf=False).record
    assert (plan.register, plan.number, plan.retention) == ("ke-hoach", 1, "10 năm")
    assert (letter.register, letter.number_symbol, letter.retention) == ("chung", "01/SGD&ĐT-VP", None)


def test_a_bad_register_setting_stops_init_and_names_the_field(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("registers:\n  secret: 'mật/2025'\n", encoding="utf-8")
    with pytest.raises(DataError, match="registers.secret"):
        Archive.init(tmp_path / "home", AGENCY, config=config)
    assert not (tmp_path / "home").exists()


@pytest.mark.parametrize("case, kind, data, date, message", [
    ("missing field", "ke_hoach", {k: v for k, v in DATA.items() if k != "subject"}, "2025-01-05",
     "'subject' (Trích yếu nội dung)"),
    ("unknown signer", "ke_hoach", {**DATA, "signer": "ai_do"}, "2025-01-05", "no signer 'ai_do'"),
    ("annex", "bao_cao_thanh_tich", EXAMPLES / "bao_cao_thanh_tich.yaml", "2025-01-05", "has no number"),
    ("unknown kind", "sac_lenh", DATA, "2025-01-05", "unknown document kind"),
    ("future date", "ke_hoach", DATA, (dt.date.today() + dt.timedelta(days=1)).isoformat(), "in the future"),
    ("backdated", "ke_hoach", DATA, "2025-01-04", "earlier than 01/KH-SGD&ĐT of 05/01/2025"),
])
def test_bad_input_consumes_no_number_and_leaves_nothing(archive, case, kind, data, date, message):
    issue(archive, "2025-01-05")
    before = trace(archive)
    with pytest.raises(DocgenError, match=re.escape(message)):
        issue_document(archive, kind, data, date=dt.date.fromisoformat(date), pdf=False)
    assert trace(archive) == before, case
    assert issue(archive, "2025-01-06").number == 2


def test_a_write_failure_inside_the_issue_consumes_no_number(archive):
    """The staging folder is unusable: the number was taken and the document rendered, then the
    write failed; the transaction rolls back and nothing remains."""
    before = trace(archive)
    archive.store.staging.rmdir()
    archive.store.staging.write_text("not a folder")
    try:
        with pytest.raises(ArchiveError, match="nothing was issued and no number was used"):
            issue(archive, "2025-01-05")
    finally:
        archive.store.staging.unlink()
        archive.store.staging.mkdir()
    assert trace(archive) == before
    assert issue(archive, "2025-01-05").number == 1


def test_revoke_and_replace_record_relations_and_edit_nothing(archive):
    old = issue(archive, "2025-01-05")
    newer = issue(archive, "2025-02-01")
    revoker = issue(archive, "2025-03-01")
    hashes = {r.id: r.files["docx"].sha256 for r in (old, newer, revoker)}

    replaced = replace(archive, old.id, by=newer.id, actor="van-thu")
    assert replaced.status == "replaced"
    assert (replaced.superseded_by.relation, replaced.superseded_by.number_symbol) == ("replaced", "02/KH-SGD&ĐT")
    assert [r.number_symbol for r in load_record(archive.db, newer.id).supersedes] == ["01/KH-SGD&ĐT"]

    revoked = revoke(archive, newer.id, by=revoker.id)
    assert revoked.status == "revoked" and revoked.superseded_by.by_document_id == revoker.id

    for attempt, message in [
        (lambda: revoke(archive, old.id, by=revoker.id), "already replaced by 02/KH-SGD&ĐT"),
        (lambda: replace(archive, revoker.id, by=newer.id), "itself revoked: a document no longer in force"),
        (lambda: revoke(archive, revoker.id, by=revoker.id), "cannot revoke itself"),
    ]:
        with pytest.raises(ArchiveError, match=message):
            attempt()
    later = issue(archive, "2025-04-01")
    with pytest.raises(ArchiveError, match="older than"):
        replace(archive, later.id, by=revoker.id)

    statuses = {r.number: r.status for r in list_documents(archive.db)}
    assert statuses == {1: "replaced", 2: "revoked", 3: "issued", 4: "issued"}
    assert {r.id: r.files["docx"].sha256 for r in list_documents(archive.db) if r.id in hashes} == hashes
    actions = [(r["action"], r["actor"]) for r in archive.db.execute("SELECT * FROM audit WHERE document_id = ?",
                                                                      (old.id,))]
    assert actions[-1] == ("replace", "van-thu")
    assert verify(archive).ok


def test_verify_finds_a_corrupted_file(archive):
    issue(archive, "2025-01-05")
    target = issue(archive, "2025-01-06")
    path = target.files["docx"].path
    os.chmod(path, 0o644)  # store files are read-only; an accident or an attacker gets past that
    with open(path, "r+b") as handle:
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    report = verify(archive)
    assert not report.ok
    assert len(report.problems) == 1
    assert "02/KH-SGD&ĐT" in report.problems[0] and "corrupted" in report.problems[0]


def test_verify_finds_missing_and_unknown_files_and_gaps(archive):
    first = issue(archive, "2025-01-05")
    second = issue(archive, "2025-01-06")
    issue(archive, "2025-01-07")
    assert oct(os.stat(first.files["docx"].path).st_mode & 0o777) == "0o400"
    os.remove(first.files["docx"].path)
    stray = archive.store.root / "ab" / ("ab" + "0" * 62)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"left here by hand")
    # A gap: number 02 deleted behind the archive's back (files first, to keep foreign keys).
    archive.db.execute("DELETE FROM files WHERE document_id = 2")
    archive.db.execute("DELETE FROM audit WHERE document_id = 2")
    archive.db.execute("DELETE FROM changes WHERE document_id = 2")
    archive.db.execute("DELETE FROM documents WHERE id = 2")
    problems = verify(archive).problems
    assert any("01/KH-SGD&ĐT" in p and "missing from the store" in p for p in problems)
    assert any(str(stray) in p and "no document names" in p for p in problems)
    assert any("register 'chung' 2025: number(s) missing: 02" in p for p in problems)
    assert any(second.files["docx"].sha256 in p and "no document names" in p for p in problems)
    # Its audit row went with it: the chain shows the hole.
    assert any(p.startswith("audit: row(s) 3 deleted") for p in problems)
    assert len(problems) == 5, problems


def test_opening_finishes_an_issue_interrupted_between_commit_and_publish(archive):
    """A crash after COMMIT leaves the file staged: the next open moves it into the store.
    A crash before COMMIT leaves an unreferenced staged file or a temp file: deleted."""
    record = issue(archive, "2025-01-05")
    stored = archive.store.path(record.files["docx"].sha256)
    os.replace(stored, archive.store.staged_path(record.files["docx"].sha256))
    (archive.store.staging / ("f" * 64)).write_bytes(b"a file whose transaction rolled back")
    (archive.store.staging / ".tmp-0123").write_bytes(b"half written")
    home = archive.home
    archive.close()
    with Archive.open(home) as reopened:
        assert stored.is_file()
        assert os.listdir(reopened.store.staging) == []
        assert verify(reopened).ok
        assert issue(reopened, "2025-01-06").number == 2


def test_schema_is_versioned_and_a_newer_archive_is_refused(sqlite_archive, tmp_path):
    archive = sqlite_archive
    assert archive.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert archive.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    home = archive.home
    archive.close()
    db = sqlite3.connect(home / "archive.sqlite")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(ArchiveError, match="made by a newer docgen"):
        Archive.open(home)


def test_an_empty_database_is_migrated_on_open(tmp_path):
    home = tmp_path / "old"
    home.mkdir()
    (home / "agency.yaml").write_bytes(AGENCY.read_bytes())
    sqlite3.connect(home / "archive.sqlite").close()  # version 0: before the first migration
    with Archive.open(home) as archive:
        assert issue(archive, "2025-01-05").number == 1


def test_a_folder_that_is_not_a_home_is_named(tmp_path):
    with pytest.raises(ArchiveError, match="not an archive home.*docgen --home .* init --agency"):
        Archive.open(tmp_path / "nowhere")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(ArchiveError, match="not an empty folder"):
        Archive.init(tmp_path / "busy", AGENCY)
    (tmp_path / "busy" / "archive.sqlite").write_text("not a database")
    with pytest.raises(ArchiveError, match="cannot open the archive database.*docgen restore"):
        Archive.open(tmp_path / "busy")
