"""The package list in pyproject.toml: explicit (quiet installs), and complete."""

from __future__ import annotations

import tomllib

from .conftest import ROOT


def test_every_package_is_named_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = {".".join(init.parent.relative_to(ROOT).parts)
             for top in ("docgen", "archive", "index", "web") for init in (ROOT / top).rglob("__init__.py")}
    assert "find" not in config.get("packages", {})
    data_only = {"docgen.dossier.rules", "web.static", "web.templates"}
    assert sorted(config["packages"]) == sorted(found | data_only)
    assert all((ROOT / name.replace(".", "/")).is_dir() for name in data_only)
    assert config["py-modules"] == ["cli"]
