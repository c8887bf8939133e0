"""The ASGI application: routers, error answers (401/403/404/422 as JSON for the API, pages otherwise)."""

from __future__ import annotations

import os
import secrets
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from archive import Archive
from docgen.errors import DataError, DocgenError
from docgen.limits import DATA_FILE_BYTES

from . import documents, drafting, login, search, users
from .pages import render_page

# A request body: a data file at most (docgen/limits.py), with room for a form's other fields.
MAX_BODY = DATA_FILE_BYTES + 64 * 1024
SECRET_FILE = "web.key"  # signs session cookies; shared by the workers of one home
STATIC = Path(__file__).parent / "static"


def prepare_home(home: str | os.PathLike) -> bytes:
    """Check the home opens (its migrations run once, here), and make its session key if missing."""
    with Archive.open(home) as archive:
        path = archive.home / SECRET_FILE
    try:
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            out.write(secrets.token_bytes(32))
    except FileExistsError:
        pass
    return path.read_bytes()


def following(home: Path):
    """While the service runs, the search index follows the archive from a thread (index.follow.Follower)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from index.follow import Follower

        with Follower(home):
            yield

    return lifespan


def create_app(home: str | os.PathLike | None = None) -> FastAPI:
    home = Path(home or os.environ.get("DOCGEN_HOME", "docgen-data")).absolute()
    app = FastAPI(title="docgen", description="Văn bản hành chính theo Nghị định 30/2020/NĐ-CP: tra cứu, ban hành",
                  version="0.1.0", lifespan=following(home))
    app.state.home = home
    app.state.secret = prepare_home(home)
    app.state.login_failures = {}
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (login, search, documents, drafting, users):
        app.include_router(module.router)

    @app.middleware("http")
    async def bounded_body(request: Request, call_next):
        """Refuse a body over MAX_BODY before reading it (a body of unknown length is refused too)."""
        if request.method in ("POST", "PUT", "PATCH"):
            length = request.headers.get("content-length", "")
            if not length.isdigit():
                return JSONResponse({"detail": "Content-Length is required"}, status_code=411)
            if int(length) > MAX_BODY:
                return JSONResponse({"detail": f"the request is over {MAX_BODY // 1024} KB (a data file may have "
                                               f"{DATA_FILE_BYTES // (1024 * 1024)} MB)"}, status_code=413)
        return await call_next(request)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        titles = {403: "Không có quyền", 404: "Không tìm thấy", 429: "Thử lại sau"}
        return render_page(request, "error.html", {"title": titles.get(exc.status_code, "Lỗi"),
                                                   "message": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(DocgenError)
    async def bad_data(request: Request, exc: DocgenError):
        problems = exc.problems if isinstance(exc, DataError) else [str(exc)]
        if not request.url.path.startswith("/api/"):
            return render_page(request, "error.html", {"title": "Dữ liệu không hợp lệ", "message": str(exc)},
                               status_code=422)
        return JSONResponse({"detail": str(exc), "problems": problems}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()]
        return JSONResponse({"detail": "; ".join(problems), "problems": problems}, status_code=422)

    return app
