"""The document kinds docgen knows, by their fixed names."""

from __future__ import annotations

from ..errors import DocgenError
from . import (bao_cao_thanh_tich, bien_ban, cong_dien, cong_van, giay_gioi_thieu, giay_moi, giay_nghi_phep,
               ke_hoach, nghi_quyet, quyet_dinh, quyet_dinh_khen_thuong, to_trinh, van_ban)
from .base import Document, Kind

# In the order a new user meets them (docgen kinds).
KINDS: dict[str, Kind] = {
    module.KIND.name: module.KIND
    for module in (ke_hoach, cong_van, to_trinh, bien_ban, bao_cao_thanh_tich, quyet_dinh_khen_thuong,
                   van_ban, quyet_dinh, nghi_quyet, cong_dien, giay_moi, giay_gioi_thieu, giay_nghi_phep)
}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise DocgenError(f"unknown document kind {name!r}; known kinds: {', '.join(KINDS)}") from None


__all__ = ["KINDS", "Document", "Kind", "get_kind"]
