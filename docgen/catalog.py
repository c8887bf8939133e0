"""What `docgen kinds` tells: each kind and its fields, with Vietnamese names and examples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import markup
from .datafile import accepted_values, inner_model
from .kinds import KINDS, get_kind
from .vietnamese import number_symbol, symbol_for

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"


def list_kinds() -> list[dict[str, Any]]:
    return [{"name": k.name, "label": k.label, "type_code": k.type_code, "description": k.description}
            for k in KINDS.values()]


def describe_kind(name: str) -> dict[str, Any]:
    kind = get_kind(name)
    symbol = symbol_for(kind.type_code or ("TB" if kind.type_of else None),
                        "HĐTĐKT" if kind.resolve_issuer else "SGDĐT", "VP") if kind.numbered else None
    example = next((path for name, path in example_files() if name == kind.name), None)
    fields = _fields(kind.model)
    notes = [f["description"] for f in fields]
    return {
        "name": kind.name,
        "label": kind.label,
        "type_code": kind.type_code,
        "description": kind.description,
        "symbol_example": (number_symbol(5, symbol) + (" (the code of the type named by `type`)" if kind.type_of else "")
                           if symbol else "no number (an annex)"),
        "fields": fields,
        "markup": "\n\n".join(summary for uses, summary in (
            (lambda note: note.startswith("markup") and not note.startswith("markup (articles)"), markup.SUMMARY),
            (lambda note: note.startswith("markup (articles)"), markup.ARTICLES_SUMMARY))
            if any(uses(note) for note in notes)) or None,
        "example_file": str(example) if example else None,
    }


def _fields(model: type[BaseModel], prefix: str = "") -> list[dict[str, Any]]:
    """The model's fields, and those of nested models as `parent.child` (the agency file aside)."""
    rows = []
    for field_name, info in model.model_fields.items():
        examples = info.examples or []
        rows.append({
            "name": prefix + field_name,
            "title": info.title,
            "description": info.description or "",
            "required": info.is_required(),
            "example": examples[0] if examples else None,
            "accepted": accepted_values(info),
        })
        inner = inner_model(info.annotation)
        if inner is not None and field_name != "agency":
            rows += _fields(inner, f"{prefix}{field_name}.")
    return rows


def example_files(directory: Path = EXAMPLES_DIR) -> list[tuple[str, Path]]:
    """(kind, path) of every example data file, in the order of the kinds.

    A file's kind is the longest kind name its name starts with (`bao_cao_thanh_tich_tap_the.yaml`).
    """
    pairs = []
    for path in sorted(directory.glob("*.yaml")):
        kind = max((k for k in KINDS if path.stem.startswith(k)), key=len, default=None)
        if kind:
            pairs.append((kind, path))
    order = list(KINDS)
    return sorted(pairs, key=lambda pair: (order.index(pair[0]), pair[1].name))


def example_data(kind: str) -> dict[str, Any]:
    """The data of the kind's first example file (examples/), without its agency file: {} when it has none."""
    from .datafile import read_mapping

    get_kind(kind)
    path = next((path for name, path in example_files() if name == kind), None)
    return {k: v for k, v in read_mapping(path).items() if k != "agency"} if path else {}
