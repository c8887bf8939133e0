"""The Vietnamese name of each document kind, for listings that must not load the kinds' models
(a search prints in a fraction of the time it takes to build them). tests/test_kind_labels.py
keeps it equal to what each kind says of itself."""

from __future__ import annotations

KIND_LABELS = {
    "ke_hoach": "Kế hoạch",
    "cong_van": "Công văn",
    "to_trinh": "Tờ trình",
    "bien_ban": "Biên bản",
    "bao_cao_thanh_tich": "Báo cáo thành tích",
    "quyet_dinh_khen_thuong": "Quyết định",
    "van_ban": "Văn bản có tên loại",
    "quyet_dinh": "Quyết định",
    "nghi_quyet": "Nghị quyết",
    "cong_dien": "Công điện",
    "giay_moi": "Giấy mời",
    "giay_gioi_thieu": "Giấy giới thiệu",
    "giay_nghi_phep": "Giấy nghỉ phép",
    "ban_sao": "Bản sao",  # a lawful copy (docgen/copy_block.py), registered like a document
}


def kind_label(kind: str | None) -> str:
    """A kind as its Vietnamese type name (`Quyết định`), never the internal name; `?` if unknown."""
    return KIND_LABELS.get(kind or "", "?")
