"""``--help`` in typer's usual form: ``TEXT`` / ``INTEGER`` / ``PATH`` types, ``CONFIG [OVERRIDES]...``
usage, and flags without a type.

typer 0.29 labels each parameter with its Python type (``<str>``, ``<list[str]>``, ``<bool>``), so a
flag such as ``--dropped <bool>`` looks as if it took a value. :class:`ClassicTyper` gives every
command and group parameters that label themselves the way typer and click always have.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

CLASSIC_TYPES: dict[Any, str] = {str: "TEXT", int: "INTEGER", float: "FLOAT", bool: "BOOLEAN", Path: "PATH"}


def classic_type(param: TyperArgument | TyperOption) -> str:
    """``TEXT``, ``INTEGER``, ``PATH``, ``[a|b]``…; nothing for a flag, which takes no value."""
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return ""
    desc = param.type_descriptor
    if desc.is_choice:
        return "[" + "|".join(str(c) for c in desc.choices or ()) + "]"
    annotation = get_args(desc.annotation)[0] if desc.is_list else desc.annotation
    return "PATH" if desc.is_path else CLASSIC_TYPES.get(annotation, "TEXT")


class ClassicArgument(TyperArgument):
    def display_type(self, ctx: Any) -> str:
        return classic_type(self) + ("..." if self.nargs != 1 else "")

    def _usage_display_name(self) -> str:
        name = self.display_name_raw.upper()
        return (name if self.required else f"[{name}]") + ("..." if self.nargs != 1 else "")


class ClassicOption(TyperOption):
    def display_type(self, ctx: Any) -> str:
        return classic_type(self)


def _classic(param: Any) -> None:
    if isinstance(param, TyperArgument):
        param.__class__ = ClassicArgument
    elif isinstance(param, TyperOption):
        param.__class__ = ClassicOption


class ClassicParams:
    """Mixin for a click command or group: its parameters (and --help) print in the usual form."""

    params: list[Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            _classic(param)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        _classic(option)
        return option


class ClassicCommand(ClassicParams, TyperCommand):
    pass


class ClassicGroup(ClassicParams, TyperGroup):
    pass


class ClassicTyper(typer.Typer):
    """A ``typer.Typer`` whose groups and commands print help in the usual form."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cls=kwargs.pop("cls", None) or ClassicGroup, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["cls"] = kwargs.get("cls") or ClassicCommand
        return super().command(*args, **kwargs)
