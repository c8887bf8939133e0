"""The kinds' Vietnamese names kept for fast listings agree with the kinds themselves."""

from docgen import copy_block
from docgen.kind_labels import KIND_LABELS, kind_label
from docgen.kinds import KINDS
from docgen.vietnamese import type_label


def test_every_kind_has_its_own_label():
    assert KIND_LABELS == {**{name: type_label(kind.type_name or kind.label) for name, kind in KINDS.items()},
                           copy_block.KIND: copy_block.KIND_LABEL}
    assert kind_label("quyet_dinh_khen_thuong") == "Quyết định" and kind_label("nonsense") == "?"
