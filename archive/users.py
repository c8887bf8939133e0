"""The web service's users: roles and what each may do, passwords (Argon2), API tokens (stored hashed).

    from archive import Archive
    from archive.users import add_user, create_token, user_for_token

    with Archive.open("docgen-data") as archive:
        add_user(archive, "lan", "clerk", password="...", actor="admin")
        token = create_token(archive, "lan", actor="admin")
        assert user_for_token(archive.db, token).may("issue")

Every change to users and tokens is audited (archive/audit.py) in its own transaction. Users
are not documents: the change log, which the search index follows, does not record them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache

from . import audit
from .database import Database
from .errors import ArchiveError
from .home import Archive
from .uses import record_use  # noqa: F401 (the web's handlers audit what users view with it)

# What each role may do; each role may do everything of the roles before it.
ROLES = ("reader", "drafter", "clerk", "admin")
GRANTS = {
    "reader": ("search", "view", "download"),
    "drafter": ("render", "check", "dossier"),
    "clerk": ("issue", "revoke", "replace", "import", "register", "pdf", "copy"),
    "admin": ("users", "tokens", "backup"),
}
PERMISSIONS = {role: frozenset(p for earlier in ROLES[:ROLES.index(role) + 1] for p in GRANTS[earlier])
               for role in ROLES}
ROLE_LABELS = {"reader": "Người tra cứu", "drafter": "Người soạn thảo", "clerk": "Văn thư", "admin": "Quản trị"}

NAME = re.compile(r"^[\w.@-]{1,64}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # Argon2 takes any length; a bound keeps a hostile login from costing much
TOKEN_BYTES = 32


@dataclass(frozen=True)
class User:
    name: str
    role: str
    secret: bool  # may see documents marked MẬT, TỐI MẬT or TUYỆT MẬT at all
    created_at: str = ""
    tokens: int = 0  # tokens in force

    def may(self, permission: str) -> bool:
        return permission in PERMISSIONS[self.role]

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "secret": self.secret, "created_at": self.created_at,
                "tokens": self.tokens}


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def check_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    if not NAME.match(name):
        raise ArchiveError(f"user name {name!r}: expected 1 to 64 letters, digits, '.', '_', '-' or '@'")
    return name


def check_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ArchiveError(f"the password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters "
                           f"(got {len(password)})")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ArchiveError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    return role


def add_user(archive: Archive, name: str, role: str, *, secret: bool = False, password: str | None = None,
             actor: str | None = None) -> User:
    """A new user; without a password it can only use API tokens."""
    name, role = check_name(name), check_role(role)
    digest = _hasher().hash(check_password(password)) if password is not None else None
    with archive.writing() as db:
        if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
            raise ArchiveError(f"user {name!r} exists already (`docgen user list` shows the users)")
        db.execute("INSERT INTO users (name, role, secret, password_hash, created_at, created_by) "
                   "VALUES (?, ?, ?, ?, ?, ?)", (name, role, int(secret), digest, audit.now(),
                                                   actor or audit.default_actor()))
        audit.record(db, "user add", actor, user=name, role=role, secret=secret)
    return get_user(archive.db, name)


def get_user(db: Database, name: str) -> User:
    row = db.execute("SELECT u.name, u.role, u.secret, u.created_at, (SELECT count(*) FROM tokens t WHERE "
                     "t.user_name = u.name AND t.revoked_at IS NULL) FROM users u WHERE u.name = ?",
                     (unicodedata.normalize("NFC", name),)).fetchone()
    if row is None:
        raise ArchiveError(f"no user {name!r} (`docgen user list` shows the users)")
    return User(row[0], row[1], bool(row[2]), row[3], row[4])


def list_users(db: Database) -> list[User]:
    names = [row[0] for row in db.execute("SELECT name FROM users ORDER BY name")]
    return [get_user(db, name) for name in names]


def remove_user(archive: Archive, name: str, *, actor: str | None = None) -> None:
    """Remove a user and its tokens (what it did stays in the audit trail under its name)."""
    user = get_user(archive.db, name)
    with archive.writing() as db:
        db.execute("DELETE FROM users WHERE name = ?", (user.name,))
        audit.record(db, "user remove", actor, user=user.name)


def set_password(archive: Archive, name: str, password: str, *, actor: str | None = None) -> None:
    user = get_user(archive.db, name)
    digest = _hasher().hash(check_password(password))
    with archive.writing() as db:
        db.execute("UPDATE users SET password_hash = ? WHERE name = ?", (digest, user.name))
        audit.record(db, "user passwd", actor, user=user.name)


def authenticate(db: Database, name: str, password: str) -> User | None:
    """The user if `password` is theirs, else None (an unknown name costs as much as a wrong password)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    row = db.execute("SELECT password_hash FROM users WHERE name = ?",
                     (unicodedata.normalize("NFC", name.strip()),)).fetchone()
    stored = row[0] if row and row[0] else None
    if len(password) > MAX_PASSWORD:
        return None
    try:
        hasher.verify(stored or _unknown_user_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return get_user(db, name.strip()) if stored else None


@cache
def _unknown_user_hash() -> str:
    """Verified against when the name is unknown, so timing does not tell which names exist."""
    return _hasher().hash(secrets.token_hex(16))


def token_digest(token: str) -> str:
    # Tokens are 256 random bits: a plain SHA-256 is as good as a slow hash for them.
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_token(archive: Archive, name: str, *, actor: str | None = None) -> tuple[int, str]:
    """A new API token for `name`: (its id, the token). Only its hash is kept: it cannot be shown again."""
    user = get_user(archive.db, name)
    token = "dg_" + secrets.token_urlsafe(TOKEN_BYTES)
    with archive.writing() as db:
        token_id = db.execute("INSERT INTO tokens (user_name, digest, created_at) VALUES (?, ?, ?) RETURNING id",
                              (user.name, token_digest(token), audit.now())).fetchone()[0]
        audit.record(db, "token create", actor, user=user.name, token_id=token_id)
    return token_id, token


def revoke_tokens(archive: Archive, name: str, *, token_id: int | None = None, actor: str | None = None) -> list[int]:
    """Revoke a user's tokens in force (or only the one with `token_id`); returns the ids revoked."""
    user = get_user(archive.db, name)
    sql, params = "SELECT id FROM tokens WHERE user_name = ? AND revoked_at IS NULL", [user.name]
    if token_id is not None:
        sql += " AND id = ?"
        params.append(token_id)
    with archive.writing() as db:
        ids = [row[0] for row in db.execute(sql, params)]
        if token_id is not None and not ids:
            raise ArchiveError(f"user {user.name!r} has no token {token_id} in force")
        for found in ids:
            db.execute("UPDATE tokens SET revoked_at = ? WHERE id = ?", (audit.now(), found))
        audit.record(db, "token revoke", actor, user=user.name, token_ids=ids)
    return ids


def user_for_token(db: Database, token: str) -> User | None:
    row = db.execute("SELECT user_name FROM tokens WHERE digest = ? AND revoked_at IS NULL",
                     (token_digest(token),)).fetchone()
    return get_user(db, row[0]) if row else None

