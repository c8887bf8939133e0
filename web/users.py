"""Users and tokens, managed by an admin: the Users page and /api/users, over archive/users.py."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from archive import Archive
from archive.users import ROLES, User, add_user, create_token, list_users, remove_user

from .auth import check_csrf, open_archive, require
from .pages import render_page

router = APIRouter()


class NewUser(BaseModel):
    name: str = Field(max_length=64)
    role: str = Field(max_length=16)
    secret: bool = False
    password: str | None = Field(None, max_length=1024)


@router.get("/api/users", tags=["users"])
def api_users(user: User = Depends(require("users")), archive: Archive = Depends(open_archive)) -> list[dict]:
    return [u.as_dict() for u in list_users(archive.db)]


@router.post("/api/users", status_code=201, tags=["users"])
def api_add_user(body: NewUser, request: Request, user: User = Depends(require("users")),
                 archive: Archive = Depends(open_archive)) -> dict:
    check_csrf(request, request.headers.get("x-csrf-token"))
    return add_user(archive, body.name, body.role, secret=body.secret, password=body.password,
                    actor=user.name).as_dict()


@router.post("/api/users/{name}/tokens", status_code=201, tags=["users"])
def api_new_token(name: str, request: Request, user: User = Depends(require("tokens")),
                  archive: Archive = Depends(open_archive)) -> dict:
    check_csrf(request, request.headers.get("x-csrf-token"))
    token_id, token = create_token(archive, name, actor=user.name)
    return {"token": token, "id": token_id, "user": name}


@router.delete("/api/users/{name}", status_code=204, tags=["users"])
def api_remove_user(name: str, request: Request, user: User = Depends(require("users")),
                    archive: Archive = Depends(open_archive)) -> None:
    check_csrf(request, request.headers.get("x-csrf-token"))
    remove_user(archive, name, actor=user.name)


# -- the page ------------------------------------------------------------------------------


def users_page(request: Request, user: User, archive: Archive, **values):
    context = {"user": user, "users": list_users(archive.db), "roles": ROLES, "token": None, "message": None,
               **values}
    return render_page(request, "users.html", context)


@router.get("/users", include_in_schema=False)
def users(request: Request, user: User = Depends(require("users")), archive: Archive = Depends(open_archive)):
    return users_page(request, user, archive)


@router.post("/users", include_in_schema=False)
def users_form(request: Request, action: str = Form(max_length=16), name: str = Form(max_length=64),
               role: str = Form("reader", max_length=16), secret: bool = Form(False),
               password: str = Form("", max_length=1024), csrf: str = Form(""),
               user: User = Depends(require("users")), archive: Archive = Depends(open_archive)):
    """Add a user, remove one, or give one a new API token (shown once)."""
    check_csrf(request, csrf)
    if action == "add":
        add_user(archive, name, role, secret=secret, password=password or None, actor=user.name)
        return users_page(request, user, archive, message=f"Đã thêm người dùng {name}")
    if action == "token":
        _, token = create_token(archive, name, actor=user.name)
        return users_page(request, user, archive, token={"user": name, "value": token})
    if action == "remove":
        remove_user(archive, name, actor=user.name)
        return users_page(request, user, archive, message=f"Đã xóa người dùng {name}")
    return RedirectResponse("/users", status_code=303)
