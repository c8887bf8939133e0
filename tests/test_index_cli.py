"""`docgen search`, `docgen index rebuild|check` as a clerk types them (click's CliRunner)."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from archive import Archive
from cli import cli
from index import SearchIndex

from .conftest import AGENCY
from .test_index_search import seeds
from .test_index_maintenance import example, issue


def run(home, *args):
    return CliRunner().invoke(cli, ["--home", str(home), *map(str, args)])


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli") / "home"
    with Archive.init(home, AGENCY) as archive:
        issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05")
        issue(archive, "quyet_dinh_khen_thuong", example("quyet_dinh_khen_thuong"), "2025-02-10")
    result = run(home, "import", seeds() / "002_8eeca81917f3b8cf.txt")
    assert result.exit_code == 0, result.output
    assert "Imported" in result.output and "as i1: 1140/SGD&ĐT-VP" in result.output
    return home


def test_search_prints_a_table_with_counts(home):
    result = run(home, "search", "quyet dinh tang giay khen")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "02/QĐ-SGD&ĐT" in out and "10/02/2025" in out and "Quyết định" in out
    assert "Đoạn trích" in out and "tặng Giấy khen" in out
    assert "By kind: Quyết định 1" in out and "By year: 2025 1" in out


def test_search_json_is_a_list_of_hits(home):
    result = run(home, "search", "1140 sgddt vp", "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert isinstance(hits, list) and hits[0]["id"] == "i1" and hits[0]["number_symbol"] == "1140/SGD&ĐT-VP"
    assert {"id", "number_symbol", "kind", "subject", "date", "signer", "score", "snippet"} <= set(hits[0])
    assert hits[0]["signer"] == "Nguyễn Mai Phương" and hits[0]["date"] == "2017-09-18"
    plan = json.loads(run(home, "search", "ke hoach thi dua", "--kind", "ke_hoach", "--json").stdout)
    assert [h["number_symbol"] for h in plan] == ["01/KH-SGD&ĐT"] and plan[0]["score"] > 0


def test_a_document_without_number_has_null_number_symbol(home, tmp_path):
    with Archive.open(home) as archive:
        from index import import_files
        import_files(archive, [seeds() / "000_7a1e7a67a9ad9d1a.txt"])
    hits = json.loads(run(home, "search", '"thi đua ái quốc"', "--json").stdout)
    # The seed plan and the plan issued from the example share their text: both come first.
    assert {hit["id"] for hit in hits[:2]} == {"i2", 1}
    assert [hit["number_symbol"] for hit in hits if hit["id"] == "i2"] == [None]


@pytest.mark.parametrize("query", ['"chưa đóng', "((( AND", "***", "-", ""])
def test_malformed_queries_never_fail(home, query):
    result = run(home, "search", query)
    assert result.exit_code == 0 and "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["x", "--from", "2025-02-01", "--to", "2025-01-01"], "--from"),
    (["x", "--limit", "0"], "--limit"),
    (["x", "--sort", "name"], "--sort"),
    (["x", "--from", "yesterday"], "date"),
])
def test_bad_search_options_exit_2(home, args, message):
    result = run(home, "search", *args)
    assert result.exit_code == 2 and message in result.output


def test_search_outside_an_archive_home_exits_2(tmp_path):
    result = run(tmp_path / "nowhere", "search", "x")
    assert result.exit_code == 2 and "not an archive home" in result.output


def test_index_check_and_rebuild(home):
    assert run(home, "index", "check").exit_code == 0
    with Archive.open(home) as archive:
        SearchIndex.of_archive(archive).remove(["2"])
    result = run(home, "index", "check")
    assert result.exit_code == 1 and "1 document(s) missing from the index: 2" in result.output
    report = json.loads(run(home, "index", "check", "--json").stdout)
    assert report["missing"] == ["2"] and not report["ok"]
    rebuilt = run(home, "index", "rebuild", "--json")
    assert rebuilt.exit_code == 0 and json.loads(rebuilt.stdout)["indexed"] >= 3
    assert run(home, "index", "check").exit_code == 0


def test_a_whoosh_index_is_converted_by_the_next_search(tmp_path):
    """A home indexed by docgen before Tantivy (Whoosh, schema 1): the next search rebuilds the
    index on Tantivy from the archive and answers; `index rebuild` would do the same."""
    home = tmp_path / "home"
    with Archive.init(home, AGENCY) as archive:
        issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05")
    folder = home / "index"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "version.json").write_text(json.dumps({"schema_version": 1}))
    (folder / "_documents_0.toc").write_bytes(b"whoosh")
    (folder / "MAIN_x1.seg").write_bytes(b"whoosh")
    hits = json.loads(run(home, "search", "ke hoach thi dua", "--json").stdout)
    assert [h["number_symbol"] for h in hits] == ["01/KH-SGD&ĐT"]
    assert json.loads((folder / "version.json").read_text()) == {"engine": "tantivy", "schema_version": 2}
    assert not (folder / "_documents_0.toc").exists() and not (folder / "MAIN_x1.seg").exists()
    assert run(home, "index", "check").exit_code == 0


def test_a_damaged_index_is_rebuilt_by_the_next_search(tmp_path):
    """The index is derived: one that cannot be read is made again from the archive, not reported as a fault."""
    home = tmp_path / "home"
    with Archive.init(home, AGENCY) as archive:
        issue(archive, "ke_hoach", example("ke_hoach"), "2025-01-05")
    (home / "index" / "meta.json").write_text("{ damaged")
    assert json.loads(run(home, "search", "ke hoach thi dua", "--json").stdout)[0]["number_symbol"] == "01/KH-SGD&ĐT"
