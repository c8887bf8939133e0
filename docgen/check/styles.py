"""styles.xml: docDefaults, styles by id, basedOn chains, the most specific layer of a property."""

from __future__ import annotations

from typing import Iterable

from .ooxml import PPR, RPR, _q, _val


class _Styles:
    """styles.xml: docDefaults, styles by id, basedOn chains."""

    def __init__(self, root) -> None:
        self.present = root is not None
        self.by_id: dict[str, object] = {}
        self.defaults: dict[str, str] = {}
        self.default_rpr = self.default_ppr = None
        if root is None:
            return
        self.default_rpr = root.find(f"{_q('w:docDefaults')}/{_q('w:rPrDefault')}/{RPR}")
        self.default_ppr = root.find(f"{_q('w:docDefaults')}/{_q('w:pPrDefault')}/{PPR}")
        for style in root.findall(_q("w:style")):
            style_id = style.get(_q("w:styleId"))
            self.by_id[style_id] = style
            if (style.get(_q("w:default")) or "").lower() in ("1", "true", "on"):
                self.defaults.setdefault(style.get(_q("w:type")) or "paragraph", style_id)

    def chain(self, style_id: str | None) -> list[str]:
        chain: list[str] = []
        while style_id and style_id in self.by_id and style_id not in chain:
            chain.append(style_id)
            style_id = _val(self.by_id[style_id], "w:basedOn")
        return chain

    def name(self, style_id: str) -> str:
        return _val(self.by_id.get(style_id), "w:name") or style_id

    def props(self, style_id: str, tag: str):
        return self.by_id[style_id].find(tag)

    def layers(self, style_ids: Iterable[str | None], tag: str) -> list[tuple[str, object]]:
        layers = []
        for style_id in style_ids:
            for sid in self.chain(style_id):
                props = self.props(sid, tag)
                if props is not None:
                    layers.append((sid, props))
        return layers


def _first(layers, tag: str):
    """The most specific element `tag` and where it came from."""
    for source, props in layers:
        element = props.find(tag)
        if element is not None:
            return element, source
    return None, None


def _first_with(layers, tag: str, attrs: tuple[str, ...]):
    """Word inherits w:ind and w:spacing attribute by attribute."""
    for _source, props in layers:
        element = props.find(tag)
        if element is not None and any(element.get(_q(f"w:{a}")) is not None for a in attrs):
            return element
    return None
