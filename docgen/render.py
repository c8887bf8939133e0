"""Filling a kind's .docx template with a document's context.

The template runs in Jinja's sandbox with autoescaping: a template (an office may supply
its own) cannot call into Python or read files, nor ask for unbounded time or memory
(docgen.sandbox), and a data value such as `{{ x }}`, `<w:p>` or `&` is printed exactly as
typed, never interpreted.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError
from jinja2.sandbox import SecurityError
from lxml import etree

from .errors import TemplateFault
from .kinds import Document
from .layout import PARTS, RULE_SHARE_USED, text_width_mm, twips
from .metrics import text_width_pt
from .pdf import convert_to_pdf
from .sandbox import BoundedSandbox, TemplateLimit, over_memory, run_limited

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates_docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

# Paragraph style of the text a rule paragraph sits under -> which rule it is (layout.RULE_SHARE).
RULE_STYLE = "ND30Rule"
RULED_PARTS = {"ND30Motto": "motto", "ND30Agency": "agency", "ND30Subject": "subject"}
_RULE_PARAGRAPHS = etree.XPath(f'.//w:p[w:pPr/w:pStyle/@w:val="{RULE_STYLE}"]', namespaces={"w": W})


@dataclass
class RenderedDocument:
    document: Document
    docx: bytes

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_bytes(self.docx)
        return path


def template_path(kind_name: str, template: str | Path | None = None) -> Path:
    path = Path(template) if template else TEMPLATES_DIR / f"{kind_name}.docx"
    if not path.is_file():
        raise TemplateFault(f"{path}: template not found")
    return path


@lru_cache(maxsize=32)
def _template_bytes(path: str, mtime_ns: int) -> bytes:
    blob = Path(path).read_bytes()
    _refuse_external_relationships(path, blob)
    return blob


_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _refuse_external_relationships(path: str, blob: bytes) -> None:
    """A template may point outside itself only with hyperlinks (text a reader may click). Any
    other external relationship (a linked picture, an attached template, an OLE link, a frame)
    makes LibreOffice read a local file or fetch a URL into the document: refused rather than
    dropped, since a document printed without its picture would not be the office's template."""
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as package:
            parts = [(name, package.read(name)) for name in package.namelist() if name.endswith(".rels")]
    except zipfile.BadZipFile:
        return  # not a package at all: DocxTemplate says so
    for name, xml in parts:
        try:
            root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as exc:
            raise TemplateFault(f"{path}: {name} is not readable XML ({exc})") from None
        for relationship in root.iter(_RELS):
            if relationship.get("TargetMode") == "External" and relationship.get("Type") != _HYPERLINK:
                kind = (relationship.get("Type") or "").rsplit("/", 1)[-1] or "unknown"
                raise TemplateFault(
                    f"{path}: the template links to something outside itself ({kind} -> "
                    f"{relationship.get('Target')!r} in {name}), which would be read into every document: "
                    "insert the picture or file into the template (in Word: Insert > Pictures, without "
                    "'Link to File') and save it again")


class _CompilingOnce(BoundedSandbox):
    """The sandbox, keeping what it compiled: docxtpl hands it the same XML text of a template on
    every render (its body, headers, footers), and compiling that text was a third of a render.
    Keyed by the text itself, so an edited template is compiled afresh; one environment serves
    every thread (it holds no state of a render)."""

    def __init__(self) -> None:
        super().__init__()
        self._compiled = lru_cache(maxsize=128)(super().from_string)

    def from_string(self, source, globals=None, template_class=None):
        if globals is None and template_class is None and isinstance(source, str):
            return self._compiled(source)
        return super().from_string(source, globals, template_class)


@lru_cache(maxsize=1)
def _sandbox() -> BoundedSandbox:
    return _CompilingOnce()


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """Render one template with one context; sandboxed, autoescaped, sizes bounded. An office's own
    template also runs with its CPU time and memory capped (docgen.sandbox)."""
    blob = _template_bytes(str(template), template.stat().st_mtime_ns)
    if template.resolve().parent == TEMPLATES_DIR:
        return _render(template, blob, context)
    return run_limited(str(template), lambda: _render(template, blob, context))


def _render(template: Path, blob: bytes, context: dict[str, Any]) -> bytes:
    try:
        tpl = DocxTemplate(io.BytesIO(blob))
        tpl.render(context, _sandbox(), autoescape=True)
    except TemplateLimit as exc:
        raise TemplateFault(f"{template}: the template asks for too much and was stopped: {exc}") from None
    except MemoryError:
        raise TemplateFault(over_memory(str(template))) from None
    except SecurityError as exc:
        raise TemplateFault(f"{template}: the template tried something unsafe and was stopped: {exc}") from None
    except TemplateError as exc:
        raise TemplateFault(f"{template}: template error: {exc}") from None
    except Exception as exc:  # an office's template is untrusted text: any failure is the template's
        raise TemplateFault(f"{template}: not a usable .docx template ({type(exc).__name__}: {exc})") from None
    size_rules(tpl.docx.element.body)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def render_document(doc: Document, template: str | Path | None = None) -> RenderedDocument:
    path = template_path(doc.kind.name, template)
    return RenderedDocument(doc, render_docx(path, doc.kind.context(doc)))


def _style(p: etree._Element) -> str | None:
    node = p.find(f"{_W}pPr/{_W}pStyle")
    return node.get(f"{_W}val") if node is not None else None


def _lines(p: etree._Element) -> list[str]:
    """The paragraph's text, split where it breaks the line (w:br: a name broken in the header)."""
    text = "".join("\n" if node.tag == f"{_W}br" else node.text or ""
                   for node in p.iter(f"{_W}t", f"{_W}br"))
    return text.split("\n")


def _container_width_twips(p: etree._Element) -> int:
    cell = p.getparent()
    if cell is not None and cell.tag == f"{_W}tc":
        width = cell.find(f"{_W}tcPr/{_W}tcW")
        if width is not None and width.get(f"{_W}type") in (None, "dxa"):
            return int(width.get(f"{_W}w"))
    return twips(mm=text_width_mm())


def size_rules(body: etree._Element) -> None:
    """Set each rule paragraph's indents so the rule has the length the law asks for.

    Decree 30, Appendix I: the rule under the motto is as long as the motto (item 1); under
    the agency name and under the subject, a third to a half of the text (items 2 and 5a),
    of its longest line when the name is broken into lines.
    The rule is the bottom border of an empty paragraph, so its length is the container's
    width less the paragraph's left and right indents.
    """
    for p in _RULE_PARAGRAPHS(body):
        lines = []
        prev = p.getprevious()
        while prev is not None and _style(prev) == "ND30AnnexNote":
            prev = prev.getprevious()  # the rule under an attached document's `(Kèm theo ...)` sizes to its subject
        while prev is not None and prev.tag == f"{_W}p" and _style(prev) in RULED_PARTS:
            lines.append(prev)
            if RULED_PARTS[_style(prev)] != "subject":
                break
            prev = prev.getprevious()
        if not lines:
            continue
        part = RULED_PARTS[_style(lines[0])]
        style = PARTS[part]
        container = _container_width_twips(p)
        text_twips = max(text_width_pt(text, style.size, bool(style.bold)) * 20
                         for line in lines for text in _lines(line))
        length = RULE_SHARE_USED[part] * min(text_twips, container)
        indent = max(0, round((container - length) / 2))
        ind = _indentation(p.find(f"{_W}pPr"))
        ind.set(f"{_W}left", str(indent))
        ind.set(f"{_W}right", str(indent))


# Children of w:pPr that must come after w:ind (ECMA-376 Part 1, 17.3.1.26: order is fixed;
# Word refuses a file whose pPr children are out of order).
_AFTER_IND = ("contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange")


def _indentation(ppr: etree._Element) -> etree._Element:
    ind = ppr.find(f"{_W}ind")
    if ind is not None:
        return ind
    ind = etree.Element(f"{_W}ind")
    for child in ppr:
        if etree.QName(child).localname in _AFTER_IND:
            child.addprevious(ind)
            return ind
    ppr.append(ind)
    return ind


def write_rendered(rendered: RenderedDocument, output: str | Path, *, pdf: bool = False) -> dict[str, Any]:
    """Write a rendered document to `output` (and its PDF beside it): both appear, or neither."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".docgen-") as tmp:
        staged = rendered.save(Path(tmp) / output.name)
        staged_pdf = convert_to_pdf([staged])[0] if pdf else None
        os.replace(staged, output)
        pdf_path = None
        if staged_pdf:
            pdf_path = output.with_suffix(".pdf")
            os.replace(staged_pdf, pdf_path)
    doc = rendered.document
    return {
        "kind": doc.kind.name,
        "number": doc.number,
        "number_symbol": doc.number_symbol,
        "date": doc.date.isoformat() if doc.date else None,
        "subject": doc.subject,
        "docx": str(output),
        "pdf": str(pdf_path) if pdf_path else None,
    }
