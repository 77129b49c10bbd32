"""Package attributes imported on first use (PEP 562), so that naming a package costs nothing.

``codebench.services`` re-exports the use cases of a dozen modules that between them load
SQLAlchemy, the ORM, the detectors and the writers. The command line names them all when it
builds its commands, but one command needs only a few: each name is imported when it is first
read, and ``codebench --help`` loads none of them.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any


class LazyPackage(ModuleType):
    """A package whose re-exported names are imported when first read.

    Where a re-exported function has the name of the submodule defining it
    (``anonymisation.disclosure``), the function is the package's attribute, as it is after an
    eager ``from .disclosure import disclosure``: the import system's binding of the loaded
    submodule to the package is turned into the function.
    """

    _lazy_exports: dict[str, str]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)  # dunder lookups (``__path__``, ``__wrapped__``) are not exports
        module_name = self._lazy_exports.get(name)
        if module_name is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        module = importlib.import_module(module_name)
        value = module if module.__name__ == f"{self.__name__}.{name}" and not hasattr(module, name) else getattr(module, name)
        setattr(self, name, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if (isinstance(value, ModuleType) and self._lazy_exports.get(name) == value.__name__
                and value.__name__ == f"{self.__name__}.{name}" and hasattr(value, name)):
            value = getattr(value, name)
        super().__setattr__(name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._lazy_exports))


def lazy_exports(package: str, exports: dict[str, tuple[str, ...]], submodules: tuple[str, ...] = ()) -> None:
    """Make ``package`` import its re-exported names on first use.

    Args:
        package: the package's ``__name__`` (call this at the end of its ``__init__``).
        exports: module → the names it defines that the package re-exports; the module is
            relative to ``package`` (``.coding``) or absolute (``codebench.errors``).
        submodules: submodules the package offers as attributes (``services.anonymisation``).
    """
    module = sys.modules[package]
    resolved = {name: f"{package}.{name}" for name in submodules}
    for source, names in exports.items():
        target = f"{package}{source}" if source.startswith(".") else source
        resolved.update((name, target) for name in names)
    ModuleType.__setattr__(module, "_lazy_exports", resolved)
    module.__class__ = LazyPackage
