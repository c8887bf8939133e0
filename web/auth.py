"""Who is asking: a Bearer token or the signed session cookie; what they may do; CSRF; login throttling."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Iterator

from fastapi import Depends, HTTPException, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from archive import Archive
from archive.errors import ArchiveError
from archive.users import ROLE_LABELS, User, get_user, user_for_token

SESSION_COOKIE = "docgen_session"
SESSION_SECONDS = 12 * 3600  # a working day
# Login attempts: at most this many failures per name and per client address in the window.
LOGIN_FAILURES = 5
LOGIN_WINDOW_S = 300


def open_archive(request: Request) -> Iterator[Archive]:
    """The home, opened for one request (a connection per request: handlers run in threads)."""
    archive = Archive.open(request.app.state.home, handed_between_threads=True)
    try:
        yield archive
    finally:
        archive.close()


def _sessions(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.secret, salt="docgen-session")


def session_cookie(request: Request, user: User) -> tuple[str, str]:
    """A new signed session for `user`: (cookie value, its CSRF token)."""
    csrf = secrets.token_urlsafe(24)
    return _sessions(request).dumps({"user": user.name, "csrf": csrf}), csrf


def read_session(request: Request) -> dict | None:
    value = request.cookies.get(SESSION_COOKIE)
    if not value:
        return None
    try:
        return _sessions(request).loads(value, max_age=SESSION_SECONDS)
    except BadSignature:
        return None


def set_session(response, value: str, request: Request) -> None:
    response.set_cookie(SESSION_COOKIE, value, max_age=SESSION_SECONDS, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")


def optional_user(request: Request, archive: Archive = Depends(open_archive)) -> User | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return user_for_token(archive.db, header[7:].strip())
    session = read_session(request)
    if session is None:
        return None
    try:
        user = get_user(archive.db, session["user"])
    except ArchiveError:  # removed since
        return None
    request.state.csrf = session["csrf"]
    return user


def session_user(request: Request) -> User | None:
    """Who is signed in (the session cookie) for a page that has no dependencies, an error page; None on
    any failure (an error page must never fail in turn)."""
    session = read_session(request)
    if session is None:
        return None
    try:
        with Archive.open(request.app.state.home) as archive:
            user = get_user(archive.db, session["user"])
    except Exception:
        return None
    request.state.csrf = session["csrf"]
    return user


def current_user(user: User | None = Depends(optional_user)) -> User:
    if user is None:
        raise HTTPException(401, "Cần đăng nhập (Authorization: Bearer TOKEN hoặc phiên đăng nhập)",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


def ensure_may(user: User, permission: str) -> None:
    """403 unless the user's role grants `permission`."""
    if not user.may(permission):
        raise HTTPException(403, f"Vai trò {ROLE_LABELS[user.role]} không có quyền này ({permission})")


def require(permission: str):
    """A dependency: the current user, if their role grants `permission` (403 otherwise)."""

    def allowed(user: User = Depends(current_user)) -> User:
        ensure_may(user, permission)
        return user

    return allowed


def check_csrf(request: Request, sent: str | None) -> None:
    """A form (or a cookie-authenticated API call) must carry the session's CSRF token."""
    if request.headers.get("authorization", "")[:7].lower() == "bearer ":
        return  # a token is not sent by the browser on its own
    expected = getattr(request.state, "csrf", None) or request.cookies.get("docgen_csrf")
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise HTTPException(403, "Phiên biểu mẫu không hợp lệ (CSRF): tải lại trang và thử lại")


def throttle(request: Request, archive: Archive, name: str) -> None:
    """Refuse a login (429) after LOGIN_FAILURES failures in LOGIN_WINDOW_S for the name or the address.

    The failures are read from the audit trail, so every worker of `docgen serve --workers N` (and a
    restart) counts the same ones; only the trail's latest FAILURE_ROWS rows are looked at."""
    since = (dt.datetime.now() - dt.timedelta(seconds=LOGIN_WINDOW_S)).astimezone().isoformat(timespec="seconds")
    failures = archive.db.execute(
        "SELECT COUNT(*) FROM audit WHERE id > (SELECT COALESCE(MAX(id), 0) FROM audit) - ? "
        "AND action = 'web login failed' AND at >= ? AND (actor = ? OR json_extract(detail, '$.address') = ?)",
        (FAILURE_ROWS, since, name, client(request))).fetchone()[0]
    if failures >= LOGIN_FAILURES:
        raise HTTPException(429, "Đăng nhập sai quá nhiều lần: thử lại sau 5 phút")


# Audit rows searched for recent login failures: minutes of a busy service's searches and views.
FAILURE_ROWS = 50_000


def failed_login(request: Request, archive: Archive, name: str) -> None:
    """Written at once, behind a clerk's issue if need be: a read's row may wait in a queue
    (archive/uses.py), a failure must be counted by the next attempt's throttle."""
    from archive import audit

    with archive.writing() as db:
        audit.record(db, "web login failed", name, address=client(request))


def client(request: Request) -> str:
    return request.client.host if request.client else "-"
