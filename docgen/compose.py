"""From a data file (or mapping) to a validated Document of a kind, its agency resolved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .agency import Agency, load_agency
from .datafile import check_size, read_mapping, validate
from .errors import DataError
from .kinds import Document, Kind, get_kind
from .vietnamese import normalize_data


def load_document(
    kind: str | Kind,
    data: str | Path | Mapping[str, Any],
    *,
    agency: Agency | str | Path | None = None,
    number: int | None = None,
    date: dt.date | None = None,
    source: str | None = None,
) -> Document:
    """Validate `data` (a YAML/JSON path or a mapping) as a document of `kind`.

    `agency` (an Agency or a path) wins over the data's own `agency:` field, whose path is
    read relative to the data file. `number` and `date` override the data's fields.
    """
    kind = get_kind(kind) if isinstance(kind, str) else kind
    if isinstance(data, Mapping):
        base_dir, source = Path.cwd(), source or "<data>"
        check_size(dict(data), source)
        mapping = normalize_data(dict(data))
    else:
        path = Path(data)
        mapping, base_dir, source = read_mapping(path), path.parent, source or str(path)
    if number is not None:
        mapping["number"] = number
    if date is not None:
        mapping["date"] = date
    model = validate(kind.model, mapping, source)
    doc = Document(kind, model, _resolve_agency(agency, model.agency, base_dir, source), source=source)
    _check_against_agency(doc)
    return doc


def _resolve_agency(explicit: Agency | str | Path | None, declared: Any, base_dir: Path, source: str) -> Agency:
    if isinstance(explicit, Agency):
        return explicit
    if explicit is not None:
        return load_agency(explicit)
    if isinstance(declared, Agency):
        return declared
    if isinstance(declared, str):
        return load_agency(base_dir / declared)
    raise DataError(source, ["field 'agency' (Tệp cơ quan ban hành): required: name the agency file here or pass --agency"])


def _check_against_agency(doc: Document) -> None:
    """Codes and keys in the data must exist in the agency file."""
    problems = []
    unit = doc.data.drafting_unit
    if unit and unit not in doc.agency.units:
        problems.append(f"field 'drafting_unit' (Đơn vị soạn thảo): {unit!r} is not a unit of the agency file "
                        f"(known: {', '.join(doc.agency.units)})")
    try:
        doc.signer
    except KeyError as exc:
        problems.append(f"field 'signer' (Người ký): {exc.args[0]}")
    if doc.kind.resolve_issuer:
        try:
            doc.kind.resolve_issuer(doc)
        except KeyError as exc:
            problems.append(f"field 'council' (Hội đồng): {exc.args[0]}")
    if problems:
        raise DataError(doc.source, problems)
