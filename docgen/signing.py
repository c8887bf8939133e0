"""Digital signatures on a rendered PDF (Decree 30/2020, Article 5 and Appendix I): the signer's
signature, then the agency's, as two incremental PAdES signatures (pyHanko), and the reading of
every signature in any PDF.

The signer's appearance lies over the signature block of the rendered page, found in the PDF
itself: the signer's name, and the signing-authority line above it in the same column (the
space between them is where the signature goes, Appendix I). The agency's appearance covers
about a third of the signer's on its left (Appendix I, the seal over the signature). Both are
drawn with a TrueType font that has Vietnamese glyphs (pyHanko's default font has none).

USB tokens (PKCS#11): any pyHanko `Signer` can be a `Party`; `pyhanko.sign.pkcs11.PKCS11Signer`
over a token's session signs the same way as the PKCS#12 files the archive keeps.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import shutil
import subprocess
import textwrap
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import DocgenError

# pyHanko logs a traceback for every certificate it cannot chain: what it found is reported
# in SignatureFacts instead, so its records stop here unless the application configures logging.
for _logger in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())

SIGNER_FIELD = "ChuKyNguoiKy"
AGENCY_FIELD = "ChuKyCoQuan"
# Fonts with the Vietnamese letters (Liberation Serif is Times New Roman's metric twin).
FONT_FILES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)
FONT_SIZE = 8
SEAL_FONT_SIZE = 6
BLUE = (0.0, 0.2, 0.7)
RED = (0.85, 0.0, 0.0)
TIME_FORMAT = "%d/%m/%Y %H:%M:%S %z"
SHORT_TIME_FORMAT = "%d/%m/%Y %H:%M:%S"


class SigningError(DocgenError):
    """A PDF that cannot be signed (no signature block, a key that cannot sign...)."""


@dataclass(frozen=True)
class Box:
    """A rectangle on a page (PDF points, origin bottom left; page counted from 0)."""
    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def rect(self) -> tuple[int, int, int, int]:
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


@dataclass
class Party:
    """Who signs: a pyHanko signer (PKCS#12 key or PKCS#11 token) and how the signature looks."""
    signer: Any
    label: str  # the name shown in the appearance
    image: Path | None = None  # the signature image (signer) or the seal (agency), PNG


@dataclass
class TextLine:
    page: int
    x: float
    y: float
    size: float
    text: str


def text_lines(pdf: bytes) -> list[TextLine]:
    """Every line of text of the PDF with where it starts on its page (see page_text_lines)."""
    from pypdf import PdfReader

    return [line for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages)
            for line in page_text_lines(page, number)]


def page_text_lines(page, number: int = 0) -> list[TextLine]:
    """The lines of text of one pypdf page, numbered `number`: pieces drawn one after the other on
    the same baseline (a name LibreOffice wrote in two runs) are joined into one line."""
    found: list[TextLine] = []

    def visit(text, cm, tm, _font, size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        piece = TextLine(number, x, y, abs(size * tm[3] * cm[3]) or size, unicodedata.normalize("NFC", text))
        last = found[-1] if found else None
        gap = x - (last.x + text_width(last.text, last.size)) if last is not None else -1
        if last is not None and abs(last.y - y) < 0.5 and -last.size / 4 <= gap < last.size:
            last.text += text if gap < last.size / 8 else " " + text  # touching: one word
        else:
            found.append(piece)

    page.extract_text(visitor_text=visit)
    for line in found:
        line.text = " ".join(line.text.split())
    return found


def find_signature_block(pdf: bytes, signer_name: str) -> Box:
    """The space between the signing-authority lines and the signer's name: the last line of the
    document that is the name, with text above it in the same column."""
    name = unicodedata.normalize("NFC", " ".join(signer_name.split()))
    lines = text_lines(pdf)
    for line in reversed([line for line in lines if " ".join(line.text.split()) == name]):
        width = text_width(name, line.size)
        centre = line.x + width / 2
        above = [other for other in lines if other.page == line.page and line.y < other.y <= line.y + 200
                 and abs(other.x + text_width(other.text, other.size) / 2 - centre) < 60]
        if not above:
            continue
        authority = min(above, key=lambda other: other.y)
        half = max(75.0, min(110.0, width * 1.2))
        return Box(line.page, centre - half, line.y + line.size * 1.1, centre + half,
                   authority.y - authority.size * 0.35)
    raise SigningError(f"no signature block found: the PDF has no line {name!r} (the signer's name) under a "
                       "signing-authority line")


def text_width(text: str, size: float) -> float:
    """The width of `text` in Times New Roman's metrics (Liberation Serif), in points."""
    font = _metrics()
    cmap, widths, units = font
    return sum(widths.get(cmap.get(ord(char), ".notdef"), units // 2) for char in text) * size / units


_METRICS: list = []


def _metrics():
    if not _METRICS:
        from fontTools.ttLib import TTFont

        tt = TTFont(str(appearance_font()), lazy=True)
        _METRICS.append((tt.getBestCmap(), {name: advance for name, (advance, _) in tt["hmtx"].metrics.items()},
                         tt["head"].unitsPerEm))
    return _METRICS[0]


def appearance_font() -> Path:
    """A TrueType font with Vietnamese glyphs: Liberation Serif, else DejaVu Serif, else fontconfig's."""
    for candidate in FONT_FILES:
        if Path(candidate).is_file():
            return Path(candidate)
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", "Liberation Serif:lang=vi"], capture_output=True,
                               text=True, timeout=10).stdout.strip()
        if found.lower().endswith((".ttf", ".otf")) and Path(found).is_file():
            return Path(found)
    raise SigningError("no TrueType font with Vietnamese letters for the signature appearance: install "
                       "fonts-liberation2 (Liberation Serif) or fonts-dejavu")


def _engine_font() -> str:
    """The appearance font scaled to 1000 units per em, in a private file kept for the process:
    pyHanko writes a TrueType font's glyph widths (/W) unscaled, which PDF reads as thousandths
    of an em, so a 2048-unit font such as Liberation Serif would be drawn letter-spaced."""
    if not _SCALED:
        import atexit
        import tempfile

        from fontTools.ttLib import TTFont
        from fontTools.ttLib.scaleUpem import scale_upem

        font = TTFont(str(appearance_font()))
        if "FFTM" in font:  # FontForge's timestamps: fontTools cannot subset them and says so on stderr
            del font["FFTM"]
        folder = Path(tempfile.mkdtemp(prefix="docgen-font-"))
        atexit.register(shutil.rmtree, folder, True)
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        font.save(folder / "appearance.ttf")
        _SCALED.append(str(folder / "appearance.ttf"))
    return _SCALED[0]


_SCALED: list[str] = []


def agency_box(signer: Box) -> Box:
    """The agency's seal: a square as tall as the signer's space, over the left third of it."""
    side = signer.y2 - signer.y1
    right = signer.x1 + (signer.x2 - signer.x1) / 3
    return Box(signer.page, right - side, signer.y1, right, signer.y2)


def sign_pdf(pdf: bytes, signer: Party, agency: Party, *, signer_name: str, number_symbol: str,
             place: str = "", timestamp_url: str | None = None) -> bytes:
    """`pdf` signed by the signer over its signature block, then by the agency (PAdES B-B, or B-T
    when a timestamp server is given): two incremental updates, the original bytes untouched."""
    block = find_signature_block(pdf, signer_name)
    # Appendix I: the signer's signature blue, the agency's seal red over its left third; a
    # signature image lies centred, and the signer's text keeps right of the seal to stay legible.
    once = _sign(pdf, signer, SIGNER_FIELD, block, "%(label)s\nKý số: %(ts)s", BLUE, FONT_SIZE, right=True,
                 reason=f"Người có thẩm quyền ký văn bản {number_symbol}", place=place, timestamp_url=timestamp_url)
    seal = Party(agency.signer, "\n".join(textwrap.wrap(agency.label, 16)), agency.image)
    return _sign(once, seal, AGENCY_FIELD, agency_box(block), "%(label)s\n%(ts)s", RED, SEAL_FONT_SIZE,
                 reason=f"Cơ quan ban hành văn bản {number_symbol}", place=place, timestamp_url=timestamp_url)


def _sign(pdf: bytes, party: Party, field_name: str, box: Box, text: str, color: tuple[float, float, float],
          font_size: int, *, reason: str, place: str, timestamp_url: str | None, right: bool = False) -> bytes:
    from pyhanko.pdf_utils import images, layout, text as pdf_text
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.stamp import TextStampStyle

    align = layout.AxisAlignment
    style = TextStampStyle(
        stamp_text=text, timestamp_format=TIME_FORMAT if right else SHORT_TIME_FORMAT, border_width=0,
        text_box_style=pdf_text.TextBoxStyle(font=GlyphAccumulatorFactory(_engine_font(), font_size=font_size),
                                             text_color=color),
        background=images.PdfImage(str(party.image)) if party.image else None,
        background_opacity=1.0,
        inner_content_layout=layout.SimpleBoxLayoutRule(x_align=align.ALIGN_MAX if right else align.ALIGN_MID,
                                                        y_align=align.ALIGN_MID,
                                                        margins=layout.Margins.uniform(2)),
    )
    meta = signers.PdfSignatureMetadata(field_name=field_name, md_algorithm="sha256", reason=reason,
                                        location=place or None, subfilter=fields.SigSeedSubFilter.PADES)
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=box.page, box=box.rect)
    timestamper = timestamps.HTTPTimeStamper(timestamp_url) if timestamp_url else None
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    try:
        out = signers.PdfSigner(meta, party.signer, timestamper=timestamper, stamp_style=style,
                                new_field_spec=spec).sign_pdf(writer, appearance_text_params={"label": party.label})
    except Exception as exc:
        raise SigningError(f"signing as {party.label} failed: {exc}") from exc
    return out.getvalue()


# -- reading the signatures of any PDF -----------------------------------------------------------

@dataclass
class SignatureFacts:
    field: str
    signer: str | None = None  # the certificate's common name
    organisation: str | None = None
    issuer: str | None = None
    signed_at: str | None = None  # as the signer's software says
    timestamp: str | None = None  # from a timestamp authority (B-T), when there is one
    intact: bool = False  # the signed bytes are unchanged
    valid: bool = False  # the cryptographic signature holds
    trusted: bool = False  # the certificate chains to a trusted root
    coverage: str = "unclear"  # whole file, whole revision (something was added after it), or unclear
    added_after: str | None = None  # what was added after the signature, when something was
    covers_document: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


ADDED_AFTER = {"LTA_UPDATES": "timestamps or validation data", "FORM_FILLING": "signatures or form values",
               "ANNOTATIONS": "annotations", "OTHER": "changes to the content"}


def read_signatures(pdf: bytes, trust_roots: list[bytes] = ()) -> list[SignatureFacts]:
    """Every signature of `pdf`, validated against `trust_roots` (PEM or DER certificates) without
    fetching anything from the network. Raises SigningError when the PDF cannot be read."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:
        raise SigningError(f"not a readable PDF ({exc})") from exc
    roots = [load_certificate(data) for data in trust_roots]
    found = []
    for signature in embedded:
        facts = SignatureFacts(field=signature.field_name)
        try:
            context = ValidationContext(trust_roots=roots, allow_fetching=False)
            status = validate_pdf_signature(signature, context)
        except Exception as exc:
            facts.problems.append(f"cannot be validated ({exc})")
            found.append(facts)
            continue
        cert = status.signing_cert
        facts.signer = _name_part(cert.subject, "common_name")
        facts.organisation = _name_part(cert.subject, "organization_name")
        facts.issuer = cert.issuer.human_friendly
        facts.signed_at = _time(status.signer_reported_dt)
        if status.timestamp_validity is not None:
            facts.timestamp = _time(status.timestamp_validity.timestamp)
        facts.intact, facts.valid, facts.trusted = status.intact, status.valid, status.trusted
        facts.coverage = status.coverage.name.lower().replace("_", " ")
        level = status.modification_level.name if status.modification_level is not None else None
        facts.added_after = ADDED_AFTER.get(level) if status.coverage.name != "ENTIRE_FILE" else None
        facts.covers_document = status.coverage.name == "ENTIRE_FILE" or (
            status.coverage.name == "ENTIRE_REVISION" and level in ("NONE", "LTA_UPDATES", "FORM_FILLING")
            and status.docmdp_ok is not False)
        if not facts.intact:
            facts.problems.append("broken: the signed bytes were changed")
        elif not facts.valid:
            facts.problems.append("invalid: the signature does not match the certificate's key")
        if facts.intact and not facts.trusted:
            facts.problems.append("untrusted: the certificate does not chain to a trusted root "
                                  "(give the root with --trust), or it had expired or was not valid for signing")
        if not facts.covers_document:
            facts.problems.append(f"does not cover the document: {facts.added_after or 'unclear changes'} "
                                  "added after it")
        found.append(facts)
    return found


def check_pdfs(files: list[Path], trust_roots: list[bytes]) -> list[dict[str, Any]]:
    """`verify-pdf`: each file's signatures, and why it is not OK (unreadable, too big, unsigned)."""
    from . import limits

    results = []
    for path in files:
        result: dict[str, Any] = {"file": str(path), "signatures": [], "problems": []}
        size = Path(path).stat().st_size
        if size > limits.VERIFY_PDF_BYTES:
            result["problems"].append(f"a file of {limits.size_text(size)} is over the limit of "
                                      f"{limits.size_text(limits.VERIFY_PDF_BYTES)}")
        else:
            try:
                facts = read_signatures(Path(path).read_bytes(), trust_roots)
                result["signatures"] = [f.as_dict() for f in facts]
                if not facts:
                    result["problems"].append("no digital signature")
            except SigningError as exc:
                result["problems"].append(str(exc))
        result["ok"] = not result["problems"] and all(f["ok"] for f in result["signatures"])
        results.append(result)
    return results


def read_trust_root(path: Path) -> bytes:
    """A root certificate file given to trust, checked: PEM or DER, of a bounded size."""
    from . import limits

    path = Path(path)
    if path.stat().st_size > limits.KEY_FILE_BYTES:
        raise SigningError(f"{path}: a certificate file over {limits.size_text(limits.KEY_FILE_BYTES)}: not a root "
                           "certificate")
    data = path.read_bytes()
    try:
        load_certificate(data).subject.human_friendly
    except Exception as exc:
        raise SigningError(f"{path}: not a certificate in PEM or DER ({exc})") from exc
    return data


def load_certificate(data: bytes):
    """An asn1crypto certificate from PEM or DER bytes."""
    from asn1crypto import pem, x509

    if pem.detect(data):
        _, _, data = pem.unarmor(data)
    return x509.Certificate.load(data)


def _name_part(name, part: str) -> str | None:
    return name.native.get(part) if name is not None else None


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None
