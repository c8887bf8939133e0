"""Electronic issuing (issue 13): the time to sign a document (the signer's and the agency's PAdES
signatures, visible appearances in a TrueType font) and to check its signatures, the bytes the
signatures add, against the reference of making the same document's PDF with LibreOffice.
The keys are made here (EC P-256, as the tests' PKI)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from docgen import render
from docgen.catalog import EXAMPLES_DIR
from docgen.pdf import convert_to_pdf
from docgen.signing import Party, read_signatures, sign_pdf

from . import median, p95, report, timed

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 15
DOCUMENTS = {"quyet_dinh_khen_thuong": "Đàm Văn Hùng", "ke_hoach": "Nguyễn Mai Phương"}


def parties(tmp: Path, signer_name: str):
    sys.path.insert(0, str(ROOT))
    from pyhanko.sign import signers

    from tests.signing_pki import PASSWORD, pkcs12_file, root

    ca = root()
    signer = pkcs12_file(tmp / "signer.p12", ca, signer_name)
    agency = pkcs12_file(tmp / "agency.p12", ca, "Sở Giáo dục và Đào tạo Cao Bằng")
    load = lambda path: signers.SimpleSigner.load_pkcs12(str(path), passphrase=PASSWORD)  # noqa: E731
    return ca.pem, Party(load(signer), signer_name), Party(load(agency), "SỞ GIÁO DỤC VÀ ĐÀO TẠO")


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="docgen-bench-signing-") as tmp_name:
        tmp = Path(tmp_name)
        for kind, signer_name in DOCUMENTS.items():
            docx = render(kind, EXAMPLES_DIR / f"{kind}.yaml", number=5).save(tmp / f"{kind}.docx")
            started = time.perf_counter()
            [pdf_path] = convert_to_pdf([docx], tmp / "pdf")
            conversion_ms = (time.perf_counter() - started) * 1000
            pdf = pdf_path.read_bytes()
            root_pem, signer, agency = parties(tmp, signer_name)
            sign = lambda: sign_pdf(pdf, signer, agency, signer_name=signer_name,  # noqa: E731
                                    number_symbol="05/QĐ-SGD&ĐT", place="Cao Bằng")
            signing = timed(sign, REPEAT)
            signed = sign()
            checking = timed(lambda: read_signatures(signed, [root_pem]), REPEAT)
            rows += [
                {"document": kind, "measure": "sign (signer + agency): p50", "value": median(signing), "unit": "ms",
                 "% of PDF conversion": 100 * median(signing) / conversion_ms},
                {"document": kind, "measure": "sign (signer + agency): p95", "value": p95(signing), "unit": "ms"},
                {"document": kind, "measure": "check both signatures: p50", "value": median(checking), "unit": "ms",
                 "% of PDF conversion": 100 * median(checking) / conversion_ms},
                {"document": kind, "measure": "reference: its PDF by LibreOffice", "value": conversion_ms,
                 "unit": "ms"},
                {"document": kind, "measure": "bytes the signatures add", "value": float(len(signed) - len(pdf)),
                 "unit": "B"},
                {"document": kind, "measure": "PDF size, unsigned", "value": float(len(pdf)), "unit": "B"},
            ]
    report("signing", rows, ["document", "measure", "value", "unit", "% of PDF conversion"], {"cpus": os.cpu_count()})


if __name__ == "__main__":
    main()
