"""Search at archive scale: Tantivy (index/) against SQLite FTS5 on the same documents and queries.

Archives of 10,000 and 100,000 documents are generated, not issued: issuing 100,000
documents (render, store, register) would take hours and measures the archive, not search.
The generator starts from the text of every example (rendered to .docx and read back as
the archive hands it to the index) and varies it the way real archives vary: kinds in
realistic shares, numbers and dates over fifteen years, subjects built from the domain's
phrases, people, schools and movements drawn from pools, and body paragraphs sampled and
re-ordered from every kind, so no two documents share a text.

Measured for each engine: indexing throughput and time, size on disk, and the latency
(p50, p95 of wall time, p95 of CPU time; `load` is the machine's 1-minute load average, as
the machine may be shared) of a fixed mixed query set (words with and without marks, phrases,
number-symbols in several spellings, dates, names, filters). Tantivy runs the whole
product path: `SearchIndex.search` with snippets, counts by kind and year, closeness of the
best 100, secret mask. Whoosh, the engine before, is gone (issue 10): its figures on this
corpus are in the issue (p95 498 ms at 10,000, 5.96 s at 100,000).
FTS5 gets the same words as an AND query ranked by bm25(); it has no folding of `đ`
(unicode61 leaves it), no number-symbol keys and no snippets or counts: it is the floor,
not the same feature set.

Then `docgen search` as a clerk types it, process start included, on an archive home of
3,000 documents (an empty archive whose index holds 3,000 generated documents: the command
reads the index, not the register).

    python -m bench.search            # 10,000 and 100,000, then the command line
    BENCH_SIZES=10000 python -m bench.search
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docgen
from docgen.catalog import example_files
from archive import Archive
from index import Entry, Filters, SearchIndex, index_folder, position
from index.extract import extract
from index.searchindex import fresh

from . import median, p95, report

ROOT = Path(__file__).resolve().parent.parent

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
SEED = 20250901
# Rounds of the query set per size: the 100,000 run uses fewer to stay within ~10 minutes.
ROUNDS = {10_000: 5, 100_000: 2}

KIND_SHARES = [("cong_van", 45), ("quyet_dinh_khen_thuong", 15), ("ke_hoach", 12), ("to_trinh", 8),
               ("bien_ban", 6), ("bao_cao_thanh_tich", 4), ("thong_bao", 10)]
TYPE_NAMES = {"cong_van": "Công văn", "quyet_dinh_khen_thuong": "QUYẾT ĐỊNH", "ke_hoach": "KẾ HOẠCH",
              "to_trinh": "TỜ TRÌNH", "bien_ban": "BIÊN BẢN", "bao_cao_thanh_tich": "BÁO CÁO THÀNH TÍCH",
              "thong_bao": "THÔNG BÁO"}
CODES = {"quyet_dinh_khen_thuong": "QĐ", "ke_hoach": "KH", "to_trinh": "TTr", "bien_ban": "BB", "thong_bao": "TB"}
UNITS = ["VP", "TCCB", "GDTrH", "GDMN-TH", "KHTC", "KTKĐCLGD"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Nông", "Bế", "Lương", "Đàm", "Lục", "Triệu", "Hà", "Vi",
            "Sầm", "Phùng", "Chu", "Lăng", "Đinh", "Mạc", "Ngô"]
MIDDLES = ["Văn", "Thị", "Minh", "Thu", "Hồng", "Đức", "Ngọc", "Thanh", "Quang", "Hải", "Kim", "Xuân"]
GIVEN = ["Hùng", "Phương", "Tuấn", "Lan", "Hằng", "Nga", "Yến", "Dũng", "Trang", "Hải", "Cường", "Huế", "Toàn",
         "Nhung", "Thúy", "Khánh", "Ánh", "Lâm", "Định", "Nguyệt", "Thưởng", "Thương", "Mai", "Đông", "Bình"]
PLACES = ["Hòa An", "Trùng Khánh", "Hà Quảng", "Bảo Lạc", "Bảo Lâm", "Hạ Lang", "Quảng Hòa", "Thạch An",
          "Nguyên Bình", "Sông Hiến", "Hợp Giang", "Đề Thám", "Thục Phán", "Tân Giang", "Sông Bằng"]
SCHOOLS = ["Trường THPT", "Trường THCS", "Trường Tiểu học", "Trường Mầm non", "Trường PTDTNT",
           "Trung tâm GDNN-GDTX", "Phòng GD&ĐT huyện"]
TOPICS = ["tổ chức Hội thi giáo viên dạy giỏi cấp tỉnh", "tuyển sinh vào lớp 10 trung học phổ thông",
          "triển khai nhiệm vụ năm học", "kiểm tra công tác thi đua, khen thưởng",
          "tổng kết Phong trào thi đua “Đổi mới, sáng tạo trong dạy và học”", "phòng, chống thiên tai, mưa lũ",
          "chuyển đổi số trong quản lý và dạy học", "bồi dưỡng thường xuyên giáo viên",
          "tổ chức Kỳ thi chọn học sinh giỏi cấp tỉnh", "xây dựng trường học an toàn, thân thiện",
          "thực hiện Chương trình giáo dục phổ thông 2018", "kiểm định chất lượng giáo dục",
          "công tác y tế trường học", "phát động Phong trào thi đua “Dạy tốt, Học tốt”",
          "tăng cường tiếng Việt cho học sinh dân tộc thiểu số", "quản lý tài chính, tài sản công"]
AWARDS = ["Giấy khen của Giám đốc Sở", "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo",
          "danh hiệu Chiến sĩ thi đua cơ sở", "danh hiệu Lao động tiên tiến", "Cờ thi đua của Bộ",
          "danh hiệu Tập thể lao động xuất sắc"]
CITED = ["1374/KH-BGD&ĐT", "3282/BGDĐT-TĐKT", "98/2023/NĐ-CP", "29-NQ/TW", "1140/SGD&ĐT-VP", "15/2025/TT-BGDĐT"]

QUERIES = [
    # (query, filters) - a fixed mix of what clerks type
    ("quyet dinh khen thuong", None), ("quyết định khen thưởng", None), ("thưởng", None), ("thuong", None),
    ("giấy khen giáo viên dạy giỏi", None), ("hoi thi giao vien day gioi cap tinh", None),
    ('"chuyển đổi số"', None), ('"phòng, chống thiên tai"', None), ("tuyển sinh lớp 10", None),
    ("1140/SGD&ĐT-VP", None), ("1374/kh-bgd&dt", None), ("245 sgddt vp", None), ("0312/QĐ-SGDĐT", None),
    ("18/09/2017", None), ("ngày 05 tháng 01 năm 2024", None), ("Nguyễn Mai Phương", None),
    ("nong thi thu hang", None), ("Trường THPT Hòa An", None), ("kiem dinh chat luong giao duc", None),
    ("phong trào thi đua đổi mới sáng tạo", None), ("y tế trường học", None), ("bảo lạc", None),
    ("tiền thưởng", Filters(year=2024)), ("thi đua", Filters(kind="quyet_dinh_khen_thuong")),
    ("khen thưởng", Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31))),
    ("kế hoạch", Filters(signer="Đàm Văn Hùng")), ("công văn hướng dẫn", Filters(unit="GDTrH")),
    ("xyzzy học sinh", None), ('"chưa đóng ngoặc', None), ("mưa lũ học sinh vùng sâu vùng xa", None),
]


def example_paragraphs() -> dict[str, list[str]]:
    """Body paragraphs of every example, as the index reads them from the rendered .docx."""
    paragraphs: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, path in example_files():
            saved = docgen.render(kind, path, number=5).save(Path(tmp) / f"{path.stem}.docx")
            lines = [line for line in extract(saved).text.split("\n") if len(line) > 40]
            paragraphs.setdefault(kind, []).extend(lines)
    every = [p for lines in paragraphs.values() for p in lines]
    paragraphs["thong_bao"] = every
    return {kind: lines for kind, lines in paragraphs.items()}


class Generator:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.paragraphs = example_paragraphs()
        self.kinds = [k for k, share in KIND_SHARES for _ in range(share)]

    def person(self) -> str:
        r = self.random
        return f"{r.choice(SURNAMES)} {r.choice(MIDDLES)} {r.choice(GIVEN)}"

    def school(self) -> str:
        return f"{self.random.choice(SCHOOLS)} {self.random.choice(PLACES)}"

    def sentence(self) -> str:
        r = self.random
        forms = [
            f"Đề nghị tặng {r.choice(AWARDS)} cho {self.person()}, giáo viên {self.school()}.",
            f"Giao {self.school()} chủ trì, phối hợp với các đơn vị {r.choice(TOPICS)}.",
            f"Thực hiện Công văn số {r.choice(CITED)} ngày {r.randint(1, 28)}/{r.randint(1, 12)}/{r.randint(2010, 2025)}.",
            f"Các đơn vị báo cáo kết quả {r.choice(TOPICS)} về Sở (qua {r.choice(UNITS)}) trước ngày "
            f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(2010, 2025)}.",
            f"{self.person()}, {r.choice(['Hiệu trưởng', 'Phó Hiệu trưởng', 'Tổ trưởng', 'Giáo viên', 'Kế toán'])}, "
            f"{self.school()} đạt {r.choice(AWARDS)} năm học {r.randint(2010, 2024)}-{r.randint(2011, 2025)}.",
        ]
        return r.choice(forms)

    def entry(self, n: int) -> Entry:
        r = self.random
        kind = r.choice(self.kinds)
        date = dt.date(2010, 1, 1) + dt.timedelta(days=r.randrange(16 * 365))
        number = r.randint(1, 2500)
        unit = r.choice(UNITS)
        code = r.choice(["SGD&ĐT", "SGDĐT"])
        symbol = f"{code}-{unit}" if kind == "cong_van" else (f"{CODES[kind]}-{code}" if kind in CODES else None)
        topic = r.choice(TOPICS)
        if kind == "cong_van":
            subject = f"{r.choice(['hướng dẫn', 'triển khai', 'đề nghị báo cáo', 'tăng cường'])} {topic}"
        elif kind == "quyet_dinh_khen_thuong":
            subject = f"Về việc tặng {r.choice(AWARDS)} cho các tập thể, cá nhân có thành tích trong {topic}"
        elif kind == "bao_cao_thanh_tich":
            subject = f"Đề nghị tặng {r.choice(AWARDS)} cho {self.person()}"
        else:
            subject = f"{r.choice(['Thực hiện', 'Tổ chức', 'Về việc'])} {topic} năm {date.year}"
        pool = self.paragraphs.get(kind) or self.paragraphs["thong_bao"]
        body = r.sample(pool, min(len(pool), r.randint(4, 10)))
        body += [self.sentence() for _ in range(r.randint(2, 8))]
        r.shuffle(body)
        signer = r.choice(["Đàm Văn Hùng", "Nguyễn Mai Phương", "Hoàng Văn Tuấn", self.person()])
        number_symbol = f"{number:02d}/{symbol}" if symbol else None
        header = ["SỞ GIÁO DỤC VÀ ĐÀO TẠO", f"Số: {number_symbol}" if number_symbol else "",
                  f"Cao Bằng, ngày {date.day:02d} tháng {date.month} năm {date.year}", TYPE_NAMES[kind], subject]
        text = "\n".join(header + body + ["Nơi nhận:", f"- Lưu: VT, {unit}.", signer])
        status = "revoked" if n % 97 == 0 else "issued"
        return Entry(key=str(n), kind=kind, subject=subject, text=text, status=status,
                     number_symbol=number_symbol, type_name=TYPE_NAMES[kind], date=date, signer_name=signer,
                     drafting_unit=unit, agency="SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                     secrecy="MẬT" if n % 211 == 0 else None, fingerprint=str(n))


def build_tantivy(folder: Path, entries: list[Entry]) -> float:
    started = time.perf_counter()
    fresh(folder).replace_all(entries)
    return time.perf_counter() - started


def kind_share(index: SearchIndex, query: str, kind: str, top: int = 10) -> float:
    """How many of the first `top` hits are of `kind`: common words must not drown what a document is."""
    hits = index.search(query, limit=top, snippets=False).hits
    return sum(h.kind == kind for h in hits) / top


def build_fts5(path: Path, entries: list[Entry]) -> float:
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, number_symbol, subject, content, "
               "kind UNINDEXED, year UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                   ((e.key, e.number_symbol or "", e.subject, e.text, e.kind, e.date.year) for e in entries))
    db.commit()
    db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
    db.commit()
    db.close()
    return time.perf_counter() - started


_FTS_WORD = re.compile(r"[^\W_]+")


def fts5_query(text: str) -> str:
    """The same words, each quoted (FTS5 syntax cannot fail), all required; phrases kept."""
    parts = []
    for phrase, word in re.findall(r'"([^"]+)"|([^"\s]+)', text):
        tokens = _FTS_WORD.findall(phrase or word)
        if tokens:
            parts.append('"' + " ".join(tokens) + '"' if phrase else " ".join(f'"{t}"' for t in tokens))
    return " AND ".join(parts) or '""'


def fts5_search(db: sqlite3.Connection, text: str, filters: Filters | None) -> list:
    sql = "SELECT key, snippet(docs, 3, '[', ']', '…', 12) FROM docs WHERE docs MATCH ?"
    params: list = [fts5_query(text)]
    if filters and filters.year:
        sql += " AND year = ?"
        params.append(filters.year)
    if filters and filters.kind:
        sql += " AND kind = ?"
        params.append(filters.kind)
    sql += " ORDER BY bm25(docs, 0, 20.0, 5.0, 1.0) LIMIT 20"
    return db.execute(sql, params).fetchall()


def latencies(run, rounds: int) -> dict[str, float]:
    """p50/p95/max of the query set's wall time, and p95 of its CPU time: on a shared machine a
    query waiting for a core counts in the wall time only."""
    for query, filters in QUERIES:  # warm-up: caches, lazily opened files
        run(query, filters)
    wall, cpu = [], []
    for _ in range(rounds):
        for query, filters in QUERIES:
            started, used = time.perf_counter(), time.process_time()
            run(query, filters)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
    return {"p50_ms": median(wall), "p95_ms": p95(wall), "max_ms": max(wall), "cpu_p95_ms": p95(cpu),
            "queries": len(wall)}


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def measure(size: int, generator: Generator, workdir: Path) -> list[dict]:
    started = time.perf_counter()
    entries = [generator.entry(n) for n in range(1, size + 1)]
    generated = time.perf_counter() - started
    text_mb = sum(len(e.text.encode()) for e in entries) / 1e6
    rows = []
    tantivy_dir = workdir / f"tantivy-{size}"
    tantivy_s = build_tantivy(tantivy_dir, entries)
    index = SearchIndex(tantivy_dir)
    rounds = ROUNDS.get(size, 2)
    times = latencies(lambda q, f: index.search(q, filters=f, limit=20), rounds)
    rows.append({"engine": "Tantivy (index/)", "documents": size, "text_MB": text_mb, "index_s": tantivy_s,
                 "docs_per_s": size / tantivy_s, "size_MB": folder_size(tantivy_dir) / 1e6,
                 **times, "target_p95_ms": 25 if size <= 10_000 else 50, "load": os.getloadavg()[0],
                 "decisions_in_top10": kind_share(index, "quyết định khen thưởng", "quyet_dinh_khen_thuong")})
    fts_path = workdir / f"fts5-{size}.sqlite"
    fts_s = build_fts5(fts_path, entries)
    db = sqlite3.connect(fts_path)
    times = latencies(lambda q, f: fts5_search(db, q, f), rounds)
    db.close()
    rows.append({"engine": "SQLite FTS5", "documents": size, "text_MB": text_mb, "index_s": fts_s,
                 "docs_per_s": size / fts_s, "size_MB": folder_size(fts_path) / 1e6,
                 **times, "load": os.getloadavg()[0]})
    print(f"  {size:,} documents generated in {generated:.1f} s ({text_mb:.0f} MB of text)", flush=True)
    shutil.rmtree(tantivy_dir, ignore_errors=True)
    fts_path.unlink(missing_ok=True)
    return rows


CLI_DOCUMENTS = 3_000
CLI_QUERIES = ["quyết định khen thưởng", "hoi thi giao vien day gioi", "1140/SGD&ĐT-VP", '"chuyển đổi số"',
               "Nguyễn Mai Phương", "18/09/2017"]
CLI_ROUNDS = 3


def command_line(generator: Generator, workdir: Path) -> dict:
    """Wall time of `docgen search QUERY` in a new process, on a home of CLI_DOCUMENTS documents."""
    home = workdir / "home"
    with Archive.init(home, ROOT / "examples" / "agency.yaml") as archive:
        end = archive.change_log_end()
    folder = index_folder(home)  # where `docgen search` looks (DOCGEN_INDEX if set)
    fresh(folder).replace_all(generator.entry(n) for n in range(1, CLI_DOCUMENTS + 1))
    # The generated entries are not in the archive: the index is told it is up to date with the
    # log, so the searches measure answering, not reconciling the index with an empty archive.
    position.write(folder, position.Applied(end.log, end.position))
    docgen = [sys.executable, "-c", "from cli import cli; cli()", "--home", str(home), "search"]
    times = []
    for round_ in range(CLI_ROUNDS + 1):
        for query in CLI_QUERIES:
            started = time.perf_counter()
            subprocess.run(docgen + [query], cwd=ROOT, check=True, capture_output=True)
            if round_:  # the first round warms the disk cache
                times.append((time.perf_counter() - started) * 1000)
    return {"engine": "docgen search (process)", "documents": CLI_DOCUMENTS, "p50_ms": median(times),
            "p95_ms": p95(times), "max_ms": max(times), "queries": len(times), "target_p95_ms": 300,
            "load": os.getloadavg()[0]}


def main() -> None:
    generator = Generator(SEED)
    rows = []
    with tempfile.TemporaryDirectory(prefix="docgen-bench-search-") as tmp:
        for size in SIZES:
            rows += measure(size, generator, Path(tmp))
        rows.append(command_line(generator, Path(tmp)))
    report("search", rows, ["engine", "documents", "text_MB", "index_s", "docs_per_s", "size_MB", "p50_ms",
                            "p95_ms", "max_ms", "cpu_p95_ms", "queries", "target_p95_ms", "decisions_in_top10", "load"],
           {"queries": [q for q, _ in QUERIES], "cli_queries": CLI_QUERIES,
            "note": "archives generated from the examples; see bench/search.py"})


if __name__ == "__main__":
    main()
