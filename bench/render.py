"""Rendering speed: docgen's full pipeline against bare docxtpl, and PDF batches.

Targets (issue 2): our overhead at most 1.3x bare docxtpl on the same template and
context; a single document under 50 ms; the 1,000-name decision under 0.5 s; a batch
of 20 PDFs under 2x the time of one.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import yaml
from docxtpl import DocxTemplate

import docgen
from docgen.catalog import EXAMPLES_DIR, example_files
from docgen.compose import load_document
from docgen.render import template_path

from . import median, report, timed

REPEAT = 15


def bare_docxtpl(template: Path, context: dict) -> bytes:
    tpl = DocxTemplate(template)
    tpl.render(context)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def thousand_names() -> dict:
    data = yaml.safe_load((EXAMPLES_DIR / "quyet_dinh_khen_thuong.yaml").read_text(encoding="utf-8"))
    data["agency"] = str(EXAMPLES_DIR / "agency.yaml")
    units = ["Trường THPT Chuyên Cao Bằng", "Trường THCS Hợp Giang", "Trường Tiểu học Sông Bằng"]
    data["nominees"] = [{"type": "collective" if i % 20 == 0 else "individual",
                         "name": f"Nông Thị Minh {i}", "position": "Giáo viên", "unit": units[i % 3]}
                        for i in range(1, 1001)]
    return data


def measure(label: str, kind: str, data) -> dict:
    ours = timed(lambda: docgen.render(kind, data, number=5), REPEAT)
    doc = load_document(kind, data, number=5)
    context = doc.kind.context(doc)
    bare = timed(lambda: bare_docxtpl(template_path(kind), context), REPEAT)
    return {"document": label, "docgen_ms": median(ours), "bare_docxtpl_ms": median(bare),
            "ratio": median(ours) / median(bare)}


def pdf_times() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        kind, path = example_files()[0]
        one = docgen.render(kind, path, number=1).save(Path(tmp) / "one.docx")
        docgen.convert_to_pdf([one])  # warm the LibreOffice profile
        single = median(timed(lambda: docgen.convert_to_pdf([one]), 3)) / 1000
        batch = []
        examples = example_files()
        for i in range(20):
            kind, path = examples[i % len(examples)]
            batch.append(docgen.render(kind, path, number=i + 1).save(Path(tmp) / f"doc{i:02d}.docx"))
        twenty = median(timed(lambda: docgen.convert_to_pdf(batch), 3)) / 1000
    return {"pdf_one_s": single, "pdf_batch20_s": twenty, "batch20_over_one": twenty / single}


def main() -> None:
    rows = [measure(path.stem, kind, path) for kind, path in example_files()]
    rows.append(measure("decision, 1,000 names", "quyet_dinh_khen_thuong", thousand_names()))
    pdf = pdf_times()
    report("render", rows, ["document", "docgen_ms", "bare_docxtpl_ms", "ratio"], {"pdf": pdf})
    print(f"\nPDF: one document {pdf['pdf_one_s']:.2f} s; batch of 20 {pdf['pdf_batch20_s']:.2f} s "
          f"({pdf['batch20_over_one']:.2f}x one; one LibreOffice start per batch)")


if __name__ == "__main__":
    main()
