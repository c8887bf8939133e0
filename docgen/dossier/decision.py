"""An award decision (or a submission) whose attached list comes from a spreadsheet.

`docgen render quyet_dinh_khen_thuong data.yaml --nominees list.xlsx` reads the list as
tolerantly as the dossier does, checks that each row asks for the decision's award, and
computes Điều 2's bonus from the rules file (coefficient × base salary) unless the data
already states it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..agency import Agency
from ..compose import load_document
from ..datafile import read_mapping
from ..errors import DocgenError
from ..kinds import get_kind
from ..render import render_document, write_rendered
from ..vietnamese import normalize_data
from .cells import shown
from .faults import Fault, SheetError
from .nominee_sheet import read_nominee_list
from .rules import Rules, load_rules

BONUS_KINDS = {"quyet_dinh_khen_thuong"}


def decision_data(kind: str, data: str | Path | Mapping[str, Any], nominees: str | Path, *,
                  rules: str | Path | Rules | None = None) -> tuple[dict[str, Any], str]:
    """The data of `kind` with its list read from the spreadsheet (replacing any list in the data), and its source."""
    model = get_kind(kind).model
    if "nominees" not in model.model_fields:
        raise DocgenError(f"{kind} has no attached list of nominees: --nominees is for to_trinh and quyet_dinh_khen_thuong")
    if isinstance(data, Mapping):
        mapping, source, base = normalize_data(dict(data)), "<data>", Path.cwd()
    else:
        mapping, source, base = read_mapping(data), str(data), Path(data).parent
    if isinstance(mapping.get("agency"), str):
        mapping["agency"] = str((base / mapping["agency"]).resolve())
    rules = rules if isinstance(rules, Rules) else load_rules(rules)
    listed = read_nominee_list(nominees, rules=rules, purpose="decision")
    award_text = mapping.get("award")
    award_key = rules.award_key(award_text) if isinstance(award_text, str) else None
    faults = [Fault(listed.file, e.sheet, e.row, None, None,
                    f"dòng này đề nghị {shown(e.award_text)}, quyết định tặng “{award_text}”")
              for e in listed.entries if e.award is not None and award_key is not None and e.award != award_key]
    if faults:
        raise SheetError(listed.file, faults)
    mapping["nominees"] = [e.nominee().model_dump(exclude_none=True) for e in listed.entries]
    if kind in BONUS_KINDS and award_key is not None:
        mapping["bonus"] = bonus_from_rules(mapping.get("bonus"), award_key, rules)
    return mapping, source


def bonus_from_rules(bonus: Any, award_key: str, rules: Rules) -> Any:
    """The data's bonus, completed with the rules' coefficients and base salary where it states no amount."""
    bonus = dict(bonus) if isinstance(bonus, Mapping) else ({} if bonus is None else bonus)
    if not isinstance(bonus, dict):
        return bonus
    coefficients = rules.awards[award_key].bonus
    stated = any(bonus.get(k) for k in ("collective", "individual", "collective_coefficient", "individual_coefficient"))
    if coefficients is None or stated:
        return bonus or None
    bonus.setdefault("base_salary", rules.settings.base_salary)
    bonus.setdefault("round_up_to", rules.settings.round_up_to)
    if coefficients.collective is not None:
        bonus["collective_coefficient"] = coefficients.collective
    if coefficients.individual is not None:
        bonus["individual_coefficient"] = coefficients.individual
    return bonus


def render_decision(kind: str, data: str | Path | Mapping[str, Any], nominees: str | Path, output: str | Path, *,
                    pdf: bool = False, number: int | None = None, date: dt.date | None = None,
                    template: str | Path | None = None, agency: Agency | str | Path | None = None,
                    rules: str | Path | Rules | None = None) -> dict[str, Any]:
    """Render to `output` (.docx, and its PDF with `pdf`); all or nothing, like docgen.render_to_files."""
    mapping, source = decision_data(kind, data, nominees, rules=rules)
    doc = load_document(kind, mapping, agency=agency, number=number, date=date, source=source)
    written = write_rendered(render_document(doc, template), output, pdf=pdf)
    bonus = getattr(doc.data, "bonus", None)
    return {
        **written,
        "nominees": len(doc.data.nominees),
        "bonus": None if bonus is None else {"collective": bonus.collective, "individual": bonus.individual},
    }
