"""Nomination dossiers (hồ sơ đề nghị khen thưởng) and award decisions from the office's spreadsheets.

    from docgen.dossier import build_dossier, read_nominee_list, load_rules
    report = build_dossier("campaign.yaml", "nominees.xlsx", "ho-so.zip")

The campaign file names the movement, the award and the council meeting (campaign.py);
the nominee list is read however the units made it (nominee_sheet.py); the rules file
decides who is eligible (rules.py, eligibility.py, rules/default.yaml); the dossier is
the submission, the minutes, one achievement report per nominee and a checklist, as
.docx and PDF with one merged PDF and a manifest (build.py, package.py).
"""

from .build import Issuer, build_dossier
from .campaign import Campaign, LoadedCampaign, load_campaign
from .decision import decision_data, render_decision
from .eligibility import Reason, Verdict
from .faults import Fault, SheetError
from .nominee_sheet import CouncilSize, Entry, NomineeList, read_nominee_list
from .report import DossierReport
from .rules import DEFAULT_RULES, Rules, load_rules
from .screening import Screening, screen

__all__ = [
    "Campaign", "CouncilSize", "DEFAULT_RULES", "DossierReport", "Entry", "Fault", "Issuer", "LoadedCampaign",
    "NomineeList", "Reason", "Rules", "Screening", "SheetError", "Verdict", "build_dossier", "decision_data",
    "load_campaign", "load_rules", "read_nominee_list", "render_decision", "screen",
]
