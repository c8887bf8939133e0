"""Package attributes imported on first use (PEP 562): `docgen --help` pays for click, not for
docxtpl, pydantic or Tantivy, while `from docgen import render_document` keeps working."""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import Any, Callable


class LazyPackage(ModuleType):
    """Python binds a submodule to its package's attribute of the same name when it is first
    imported; where that name is a function of the package (`docgen.render`, `archive.verify`,
    `index.extract`), the function stays."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and name in self.__dict__.get("FUNCTIONS_NAMED_LIKE_MODULES", ()):
            return
        super().__setattr__(name, value)


def lazy_attributes(package: str, names: dict[str, str], *, like_modules: frozenset[str] = frozenset()
                    ) -> Callable[[str], Any]:
    """The `__getattr__` of `package`: each of `names` is imported from its module when first used.
    `like_modules` are the function names that a submodule of the same name must not hide."""
    module = sys.modules[package]
    module.FUNCTIONS_NAMED_LIKE_MODULES = like_modules
    module.__class__ = LazyPackage

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f".{names[name]}", package), name)
        setattr(module, name, value)
        return value

    return __getattr__
