"""An archive home's settings (HOME/config.yaml): its number registers and retention periods.

    registers:
      default: chung          # one sequence for all administrative documents
      secret: mat             # documents with `secrecy` set: always their own sequence
      by_type:                # an office may split: type code (or kind name) -> register
        QĐ: quyet-dinh
        cong_van: cong-van
    retention:                # Thời hạn bảo quản, by kind name or type code
      default: null
      ke_hoach: 10 năm
    signing:
      timestamp_url: http://tsa.example.vn   # optional: signatures with a timestamp (PAdES B-T)
    database: postgresql://docgen@db.example.vn/docgen   # server mode (written by `docgen init --database`)

A council or board that issues in its own name (Biên bản of the HĐTĐKT) numbers in a
register named by its code; that needs no setting.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from docgen.agency import Strict
from docgen.datafile import load_model

from .database import check_database_url

CONFIG_FILE = "config.yaml"

# Register names become sheet names in the register book: Excel forbids these and > 31 chars.
_SHEET_FORBIDDEN = set("[]:*?/\\")


def _register_name(value: str) -> str:
    value = value.strip()
    if not value or len(value) > 31 or _SHEET_FORBIDDEN & set(value):
        raise ValueError("a register name has 1 to 31 characters and none of [ ] : * ? / \\ "
                         f"(got {value!r})")
    return value


class RegisterSettings(Strict):
    default: str = Field("chung", title="Sổ chung", description="register of administrative documents")
    secret: str = Field("mat", title="Sổ văn bản mật", description="register of documents with secrecy set")
    by_type: dict[str, str] = Field(default_factory=dict, title="Sổ riêng theo loại",
                                    description="type code or kind name -> register name")

    @field_validator("default", "secret")
    @classmethod
    def _name(cls, value: str) -> str:
        return _register_name(value)

    @field_validator("by_type")
    @classmethod
    def _names(cls, value: dict[str, str]) -> dict[str, str]:
        return {key: _register_name(name) for key, name in value.items()}


class SigningSettings(Strict):
    timestamp_url: str | None = Field(None, title="Máy chủ cấp dấu thời gian",
                                      description="RFC 3161 timestamp server: signatures become PAdES B-T")

    @field_validator("timestamp_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"a timestamp server is an http:// or https:// address (got {value!r})")
        return value


class ArchiveConfig(Strict):
    registers: RegisterSettings = Field(default_factory=RegisterSettings, title="Sổ đăng ký")
    retention: dict[str, str | None] = Field(default_factory=dict, title="Thời hạn bảo quản",
                                             description="kind name or type code (or 'default') -> period")
    signing: SigningSettings = Field(default_factory=SigningSettings, title="Ký số")
    database: str | None = Field(None, title="Cơ sở dữ liệu PostgreSQL",
                                 description="server mode: postgresql://USER@HOST/DB, never with a password")

    @field_validator("database")
    @classmethod
    def _database(cls, value: str | None) -> str | None:
        if value is not None:
            check_database_url(value, "database", ValueError)
        return value

    def retention_for(self, kind: str, type_code: str | None) -> str | None:
        for key in (kind, type_code, "default"):
            if key and key in self.retention:
                return self.retention[key]
        return None


def load_config(home: Path) -> ArchiveConfig:
    path = home / CONFIG_FILE
    if not path.is_file():
        return ArchiveConfig()
    return load_model(ArchiveConfig, path)

