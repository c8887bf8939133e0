"""Server-rendered pages: Jinja2, autoescaped, in Vietnamese; every form carries a CSRF token."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from archive.users import ROLE_LABELS
from docgen.vietnamese import short_date, type_label

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")  # autoescapes .html
templates.env.filters["short_date"] = lambda value: short_date(value) if value else ""
templates.env.filters["type_label"] = lambda value: type_label(value) if value else ""
templates.env.globals["ROLE_LABELS"] = ROLE_LABELS
# The audit trail's actions as a document's history shows them.
ACTION_LABELS = {"issue": "ban hành", "pdf": "tạo bản PDF", "revoke": "bị thu hồi", "replace": "bị thay thế"}
templates.env.filters["action_label"] = lambda action: ACTION_LABELS.get(action, action)


def render_page(request: Request, name: str, context: dict, status_code: int = 200):
    """The page `name`; before login, a fresh CSRF token in its own cookie (double submit)."""
    csrf = getattr(request.state, "csrf", None)
    fresh = None
    if csrf is None:
        csrf = request.cookies.get("docgen_csrf") or (fresh := secrets.token_urlsafe(24))
    response = templates.TemplateResponse(request, name, {"csrf": csrf, "user": None, **context},
                                          status_code=status_code)
    if fresh:
        response.set_cookie("docgen_csrf", fresh, httponly=True, samesite="strict", path="/")
    response.headers["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def marked(text: str, highlights: list) -> list[tuple[str, bool]]:
    """A snippet cut into (text, highlighted) pieces, for the template to escape and mark."""
    pieces, at = [], 0
    for start, end in sorted(highlights):
        if start < at:
            continue
        pieces += [(text[at:start], False), (text[start:end], True)]
        at = end
    pieces.append((text[at:], False))
    return [p for p in pieces if p[0]]
