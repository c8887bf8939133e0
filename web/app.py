"""The ASGI application: routers, error answers (401/403/404/422 as JSON for the API, pages otherwise)."""

from __future__ import annotations

import os
import secrets
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from archive import Archive
from archive.errors import SecretRefused
from docgen.errors import DataError, DocgenError
from docgen.forms import field_messages
from docgen.limits import DATA_FILE_BYTES, SHEET_FILE_BYTES, WEB_IMPORT_BYTES, size_text

from . import documents, dossiers, drafting, imports, issuing, login, register, search, users
from .pages import render_page

# A request body: a data file at most (docgen/limits.py), with room for a form's other fields.
MAX_BODY = DATA_FILE_BYTES + 64 * 1024
SECRET_FILE = "web.key"  # signs session cookies; shared by the workers of one home
STATIC = Path(__file__).parent / "static"
# Paths that take larger uploads: a campaign file and a nominee sheet; the files of an import.
BODY_LIMITS = {"/api/dossiers": DATA_FILE_BYTES + SHEET_FILE_BYTES + 64 * 1024,
               "/dossier": DATA_FILE_BYTES + SHEET_FILE_BYTES + 64 * 1024,
               "/api/import": WEB_IMPORT_BYTES + 1024 * 1024, "/import": WEB_IMPORT_BYTES + 1024 * 1024}


def prepare_home(home: str | os.PathLike) -> bytes:
    """Check the home opens (its migrations run once, here), and make its session key if missing."""
    with Archive.open(home) as archive:
        path = archive.home / SECRET_FILE
    if not path.exists():
        # Written aside and linked into place: nodes starting at once (server mode) all read the
        # same whole key, never one another's empty file.
        temp = path.with_name(f".{SECRET_FILE}.{os.getpid()}")
        try:
            with open(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
                out.write(secrets.token_bytes(32))
                out.flush()
                os.fsync(out.fileno())
            os.link(temp, path)
        except FileExistsError:
            pass
        finally:
            temp.unlink(missing_ok=True)
    return path.read_bytes()


def following(home: Path):
    """While the service runs, the search index follows the archive from a thread (index.follow.Follower)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from index.follow import Follower

        with Follower(home):
            yield

    return lifespan
# Error pages: a title and, when the error says nothing more, what it means for the user.
ERROR_PAGES = {403: ("Không có quyền", "Vai trò của bạn không được làm việc này."),
               404: ("Không tìm thấy", "Không có trang hoặc văn bản này."),
               405: ("Không thực hiện được", "Trang này không nhận yêu cầu kiểu này."),
               422: ("Dữ liệu không hợp lệ", "Dữ liệu gửi lên chưa đúng."),
               429: ("Thử lại sau", "Quá nhiều lần thử: chờ vài phút rồi thử lại."),
               500: ("Lỗi máy chủ", "Máy chủ gặp lỗi khi xử lý yêu cầu. Thử lại, hoặc báo quản trị viên "
                                    "(chi tiết trong nhật ký máy chủ).")}


def error_page(request: Request, status: int, message: str):
    """An error as a page in Vietnamese, with the menu of whoever is signed in."""
    from .auth import session_user

    title = ERROR_PAGES.get(status, ("Lỗi", ""))[0]
    return render_page(request, "error.html", {"title": title, "message": message, "status": status,
                                               "user": session_user(request)}, status_code=status)


def create_app(home: str | os.PathLike | None = None) -> FastAPI:
    home = Path(home or os.environ.get("DOCGEN_HOME", "docgen-data")).absolute()
    app = FastAPI(title="docgen", description="Văn bản hành chính theo Nghị định 30/2020/NĐ-CP: tra cứu, ban hành",
                  version="0.1.0", lifespan=following(home))
    app.state.home = home
    app.state.secret = prepare_home(home)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (login, search, documents, issuing, drafting, users, register, dossiers, imports):
        app.include_router(module.router)

    @app.middleware("http")
    async def bounded_body(request: Request, call_next):
        """Refuse a body over MAX_BODY before reading it (a body of unknown length is refused too)."""
        if request.method in ("POST", "PUT", "PATCH"):
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                return JSONResponse({"detail": "Content-Length is required"}, status_code=411)
            limit = BODY_LIMITS.get(request.url.path, MAX_BODY)
            if int(length) > limit:
                allowed = (f"a data file may have {size_text(DATA_FILE_BYTES)}" if limit == MAX_BODY else
                           f"what uploads to {request.url.path} may have in all")
                return JSONResponse({"detail": f"the request is over {size_text(limit)} ({allowed})"},
                                    status_code=413)
        return await call_next(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        # A page's 404 says it in Vietnamese whatever the library said (the API keeps its detail).
        plain = exc.status_code == 404 or exc.detail == HTTPStatus(exc.status_code).phrase
        message = ERROR_PAGES.get(exc.status_code, ("", exc.detail))[1] if plain else exc.detail
        return error_page(request, exc.status_code, message)

    @app.exception_handler(SecretRefused)
    async def secret_refused(request: Request, exc: SecretRefused):
        return await http_error(request, StarletteHTTPException(403, str(exc)))

    @app.exception_handler(DocgenError)
    async def bad_data(request: Request, exc: DocgenError):
        problems = exc.problems if isinstance(exc, DataError) else [str(exc)]
        if not request.url.path.startswith("/api/"):
            return error_page(request, 422, str(exc))
        return JSONResponse({"detail": str(exc), "problems": problems, "fields": field_messages(problems)[0]},
                            status_code=422)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()]
        if not request.url.path.startswith("/api/"):
            return error_page(request, 422, "; ".join(problems))
        return JSONResponse({"detail": "; ".join(problems), "problems": problems}, status_code=422)

    @app.exception_handler(Exception)
    async def failure(request: Request, exc: Exception):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "internal error (the server's log has the details)"}, status_code=500)
        return error_page(request, 500, ERROR_PAGES[500][1])

    return app
