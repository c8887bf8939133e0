"""Signing in and out (pages), and the health check."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from archive import Archive
from archive.users import authenticate, record_use

from .auth import SESSION_COOKIE, check_csrf, current_user, failed_login, open_archive, session_cookie, set_session, \
    throttle
from .pages import render_page

router = APIRouter()


@router.get("/api/health", tags=["health"])
def health() -> dict:
    return {"ok": True}


def safe_next(target: str) -> str:
    """Only a path of this site (no //host, no scheme): a login link cannot send the user elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/"):
    return render_page(request, "login.html", {"next": safe_next(next), "error": None})


@router.post("/login", include_in_schema=False)
def login(request: Request, name: str = Form(max_length=64), password: str = Form(max_length=1024),
          csrf: str = Form(""), next: str = Form("/"), archive: Archive = Depends(open_archive)):
    check_csrf(request, csrf)
    throttle(request, archive, name)
    user = authenticate(archive.db, name, password)
    if user is None:
        failed_login(request, archive, name)
        return render_page(request, "login.html", {"next": safe_next(next),
                                                   "error": "Tên đăng nhập hoặc mật khẩu không đúng"},
                           status_code=401)
    record_use(archive, user.name, "web login")
    value, _ = session_cookie(request, user)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session(response, value, request)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, csrf: str = Form(""), user=Depends(current_user)):
    check_csrf(request, csrf)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
