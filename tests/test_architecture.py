"""The layering the store contract relies on: services and the search engine never touch a database driver.

Services are functions of a :class:`~fangzhi.store.base.Store`; the search
engine asks the store's own index.  So no module of ``fangzhi.services``,
nor the engine-neutral part of ``fangzhi.search``, may import ``sqlite3`` or
``psycopg``, reach for a ``.connection``, or import the knowledge base (which
imports them: that was the circle).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import types

import pytest

import fangzhi.services

DRIVERS = ("sqlite3", "psycopg", "psycopg_pool")
ENGINE_NEUTRAL = ["fangzhi.search.engine", "fangzhi.search.ranking", "fangzhi.search.index", "fangzhi.search.query"]


def service_modules() -> list[str]:
    names = ["fangzhi.services"]
    for found in pkgutil.walk_packages(fangzhi.services.__path__, prefix="fangzhi.services."):
        names.append(found.name)
    return sorted(names)


def imported_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_service_module_is_checked() -> None:
    assert {"fangzhi.services.exports", "fangzhi.services.reading", "fangzhi.services.ask.passages"} <= set(
        service_modules()
    )


@pytest.mark.parametrize("name", service_modules() + ENGINE_NEUTRAL)
def test_no_driver_and_no_knowledge_base(name: str) -> None:
    module = importlib.import_module(name)
    drivers = [
        value.__name__
        for value in vars(module).values()
        if isinstance(value, types.ModuleType) and value.__name__.split(".")[0] in DRIVERS
    ]
    assert drivers == []
    tree = ast.parse(inspect.getsource(module))
    imports = imported_names(tree)
    assert sorted(imported for imported in imports if imported.split(".")[0] in DRIVERS) == []
    assert (
        sorted(
            imported
            for imported in imports
            if imported.startswith(("fangzhi.knowledge_base", "fangzhi.cli", "fangzhi.web"))
        )
        == []
    )
    connections = [
        node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "connection"
    ]
    assert connections == []
