"""Signing keys of a home: the agency's and each signer's (named by its key in the agency file),
kept as PKCS#12 files in HOME/keys/, private to the owner (0600), and the roots the home trusts
(HOME/trust/, PEM).

    HOME/keys/agency.p12        the key and its certificate chain, as the office received them
    HOME/keys/agency.json       where its password comes from, its image, its certificate's facts
    HOME/keys/agency.png        the seal (agency) or the signature image (a signer), if given

A password is never written down by docgen: the key's settings name a password file or an
environment variable, or say the password is asked for each time (prompt).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from docgen import limits

from . import audit
from .errors import ArchiveError
from .home import Archive

KEYS = "keys"
TRUST = "trust"
AGENCY = "agency"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

Prompt = Callable[[str], str]
# A key's name becomes a file name in HOME/keys/: letters, digits, _ and - only.
KEY_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass
class KeyInfo:
    name: str
    subject: str
    organisation: str | None
    issuer: str
    not_before: str
    not_after: str
    fingerprint: str  # SHA-256 of the certificate
    password: dict[str, str]  # {"file": path} | {"env": NAME} | {"prompt": ""}
    image: bool

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def key_names(archive: Archive) -> list[str]:
    """The names a key may have: `agency` and the agency file's signer keys."""
    return [AGENCY, *archive.agency.signers]


def set_key(archive: Archive, name: str, pkcs12: Path, *, password_file: Path | None = None,
            password_env: str | None = None, prompt: Prompt | None = None, image: Path | None = None,
            actor: str | None = None, now: dt.datetime | None = None) -> KeyInfo:
    """Copy a PKCS#12 key into the home after checking it: it opens with its password, its
    certificate is valid now and may sign, and it chains to a root the home trusts (when the home
    trusts any). A key of the same name is replaced."""
    if not KEY_NAME.match(name) or name not in key_names(archive):
        raise ArchiveError(f"{name!r} is not a key name: use 'agency' or a signer of the agency file "
                           f"({', '.join(archive.agency.signers)})")
    if sum(x is not None for x in (password_file, password_env)) > 1:
        raise ArchiveError("give the password one way: --password-file or --password-env (or neither, to be asked)")
    data = _read_bounded(pkcs12, limits.KEY_FILE_BYTES, "PKCS#12 file")
    picture = _read_bounded(image, limits.SIGN_IMAGE_BYTES, "image") if image is not None else None
    if picture is not None and not picture.startswith(PNG_MAGIC):
        raise ArchiveError(f"{image}: not a PNG image")
    if password_file is not None:
        source = {"file": str(Path(password_file).absolute())}
    elif password_env is not None:
        source = {"env": password_env}
    else:
        source = {"prompt": ""}
    password = _password(source, name, prompt)
    key, cert, chain = _open_pkcs12(data, password, pkcs12)
    problems = certificate_problems(cert, now or dt.datetime.now(dt.timezone.utc))
    problems = problems or chain_problems(archive, cert, chain)
    if problems:
        raise ArchiveError(f"{pkcs12}: refused as the {name!r} key: " + "; ".join(problems))
    info = _info(name, cert, source, picture is not None)
    folder = keys_folder(archive)
    with archive.writing() as db:
        _write_private(folder / f"{name}.p12", data)
        _write_private(folder / f"{name}.json", json.dumps(info.as_dict(), ensure_ascii=False, indent=1).encode())
        if picture is not None:
            _write_private(folder / f"{name}.png", picture)
        else:
            (folder / f"{name}.png").unlink(missing_ok=True)
        audit.record(db, "key set", actor, key=name, subject=info.subject, issuer=info.issuer,
                     fingerprint=info.fingerprint, not_after=info.not_after)
    return info


def list_keys(archive: Archive) -> list[KeyInfo]:
    folder = archive.home / KEYS
    if not folder.is_dir():
        return []
    return [KeyInfo(**json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.json"))]


def remove_key(archive: Archive, name: str, *, actor: str | None = None) -> None:
    folder = archive.home / KEYS
    if not KEY_NAME.match(name) or not (folder / f"{name}.json").is_file():
        raise ArchiveError(f"no key {name!r} in this home (`docgen keys list` shows them)")
    with archive.writing() as db:
        for suffix in (".p12", ".png", ".json"):
            (folder / f"{name}{suffix}").unlink(missing_ok=True)
        audit.record(db, "key remove", actor, key=name)


def trust_root(archive: Archive, pem: Path, *, actor: str | None = None) -> str:
    """Add a root certificate the home trusts (for signing checks, `verify` and `verify-pdf`)."""
    from docgen.signing import load_certificate, read_trust_root

    cert = load_certificate(read_trust_root(pem))
    subject = cert.subject.human_friendly
    folder = archive.home / TRUST
    folder.mkdir(mode=0o700, exist_ok=True)
    fingerprint = hashlib.sha256(cert.dump()).hexdigest()
    with archive.writing() as db:
        _write_private(folder / f"{fingerprint}.der", cert.dump())
        audit.record(db, "trust", actor, subject=subject, fingerprint=fingerprint)
    return subject


def trust_roots(archive: Archive) -> list[bytes]:
    folder = archive.home / TRUST
    return [path.read_bytes() for path in sorted(folder.glob("*.der"))] if folder.is_dir() else []


def load_party(archive: Archive, name: str, label: str, *, prompt: Prompt | None = None):
    """The key `name` ready to sign (docgen.signing.Party), its password read from where its
    settings say; checked again: a certificate expired since `keys set` signs nothing."""
    from pyhanko.sign import signers

    from docgen.signing import Party

    folder = archive.home / KEYS
    settings = folder / f"{name}.json"
    if not KEY_NAME.match(name) or not settings.is_file():
        raise ArchiveError(f"no {name!r} key in this home: add it with `docgen keys set {name} --pkcs12 FILE`")
    info = KeyInfo(**json.loads(settings.read_text(encoding="utf-8")))
    data = (folder / f"{name}.p12").read_bytes()
    password = _password(info.password, name, prompt)
    _key, cert, _chain = _open_pkcs12(data, password, folder / f"{name}.p12")
    problems = certificate_problems(cert, dt.datetime.now(dt.timezone.utc))
    if problems:
        raise ArchiveError(f"the {name!r} key cannot sign: " + "; ".join(problems))
    signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password)
    image = folder / f"{name}.png"
    return Party(signer, label, image if image.is_file() else None)


def keys_folder(archive: Archive) -> Path:
    folder = archive.home / KEYS
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def certificate_problems(cert, now: dt.datetime) -> list[str]:
    """Why a certificate (cryptography's) may not sign now: its validity, its key usage."""
    from cryptography import x509

    problems = []
    if now < cert.not_valid_before_utc:
        problems.append(f"its certificate is not valid before {cert.not_valid_before_utc:%d/%m/%Y}")
    if now > cert.not_valid_after_utc:
        problems.append(f"its certificate expired on {cert.not_valid_after_utc:%d/%m/%Y}")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        problems.append("its certificate is not for signing (key usage has neither digitalSignature nor "
                        "nonRepudiation)")
    return problems


def chain_problems(archive: Archive, cert, chain) -> list[str]:
    """Whether the certificate chains to a root the home trusts (nothing to say when it trusts none)."""
    roots = trust_roots(archive)
    if not roots:
        return []
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko_certvalidator import CertificateValidator, ValidationContext

    from docgen.signing import load_certificate

    context = ValidationContext(trust_roots=[load_certificate(r) for r in roots], allow_fetching=False)
    validator = CertificateValidator(load_certificate(cert.public_bytes(Encoding.DER)),
                                     [load_certificate(c.public_bytes(Encoding.DER)) for c in chain],
                                     validation_context=context)
    try:
        asyncio.run(validator.async_validate_path())
    except Exception as exc:
        return [f"its certificate does not chain to a root this home trusts ({exc})"]
    return []


def _open_pkcs12(data: bytes, password: bytes | None, where: Path):
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, password)
    except ValueError as exc:
        raise ArchiveError(f"{where}: cannot open the PKCS#12 file: wrong password, or not a PKCS#12 file "
                           f"({exc})") from exc
    if key is None or cert is None:
        raise ArchiveError(f"{where}: the PKCS#12 file holds no private key with its certificate")
    return key, cert, chain


def _password(source: dict[str, str], name: str, prompt: Prompt | None) -> bytes | None:
    if "file" in source:
        path = Path(source["file"])
        try:
            text = _read_bounded(path, limits.PASSWORD_FILE_BYTES, "password file").decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ArchiveError(f"{path}: the password file is not UTF-8 text") from exc
        return text.rstrip("\r\n").encode("utf-8")
    if "env" in source:
        value = os.environ.get(source["env"])
        if value is None:
            raise ArchiveError(f"the password of the {name!r} key is read from ${source['env']}, which is not set")
        return value.encode("utf-8")
    if prompt is None:
        raise ArchiveError(f"the password of the {name!r} key is asked for, and nobody can be asked here: "
                           "give --password-file or --password-env to `docgen keys set`")
    value = prompt(f"Mật khẩu khóa {name}")
    return value.encode("utf-8") if value else None


def _read_bounded(path: Path, limit: int, what: str) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise ArchiveError(f"{path}: a {what} of {limits.size_text(size)} is over the limit of {limits.size_text(limit)}")
        return path.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from exc


def _write_private(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.part")
    temp.unlink(missing_ok=True)
    with open(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)


def _info(name: str, cert, source: dict[str, str], image: bool) -> KeyInfo:
    from cryptography.hazmat.primitives.hashes import SHA256
    from cryptography.x509.oid import NameOID

    def part(oid):
        values = cert.subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else None

    return KeyInfo(name=name, subject=part(NameOID.COMMON_NAME) or cert.subject.rfc4514_string(),
                   organisation=part(NameOID.ORGANIZATION_NAME), issuer=cert.issuer.rfc4514_string(),
                   not_before=cert.not_valid_before_utc.isoformat(), not_after=cert.not_valid_after_utc.isoformat(),
                   fingerprint=cert.fingerprint(SHA256()).hex(), password=source, image=image)
