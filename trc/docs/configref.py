"""The configuration reference (docs/configuration.md), written from the settings classes.

Every name is the environment variable pydantic-settings actually reads: the class's
``env_prefix`` plus the field name, or the field's own alias (``TRC_DATA_DIR``,
``TELEGRAM_BOT_TOKEN``). The groups a service composes (kafka, messaging, auth) are settings of
their own, read with their own prefix by every service alike, so they get one section each.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import AliasChoices, SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined
from pydantic_settings import BaseSettings

SECRET_SHOWN_AS = "(secret)"  # noqa: S105 (a placeholder, not a secret)
HEADER = """# Configuration

Generated from the settings classes by `trc docs`; do not edit by hand.

Every setting is an environment variable (names are not case-sensitive); a `.env` file in the
working directory is read as well. Secrets are shown as "(secret)", never with a value.
A group (kafka, messaging, auth) can also be given whole as JSON in `TRC_<SERVICE>_KAFKA`,
`TRC_<SERVICE>_MESSAGING` or `TRC_<SERVICE>_AUTH`; the group's own variables below still fill
the fields the JSON leaves out.
"""
_SCALARS = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    Path: "path",
    SecretStr: "secret",
}
_BOUNDS = (
    (annotated_types.Ge, "ge", "≥"),
    (annotated_types.Gt, "gt", ">"),
    (annotated_types.Le, "le", "≤"),
    (annotated_types.Lt, "lt", "<"),
)


def env_names(cls: type[BaseSettings], name: str, field: FieldInfo) -> list[str]:
    alias = field.validation_alias
    if isinstance(alias, str):
        return [alias]
    if isinstance(alias, AliasChoices):
        return [choice for choice in alias.choices if isinstance(choice, str)]
    return [(str(cls.model_config.get("env_prefix", "")) + name).upper()]


def type_name(annotation: Any) -> str:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (Union, types.UnionType):  # "or None": the default column says "unset"
        return " or ".join(type_name(a) for a in args if a is not type(None))
    if origin is dict:
        return f"JSON object ({type_name(args[0])} → {type_name(args[1])})"
    if origin is list:
        return f"JSON list of {type_name(args[0])}"
    return _SCALARS.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _bounds(field: FieldInfo) -> str:
    marks = [
        f"{sign} {getattr(item, attribute)}"
        for item in field.metadata
        for kind, attribute, sign in _BOUNDS
        if isinstance(item, kind)
    ]
    return f" ({', '.join(marks)})" if marks else ""


def _is_secret(annotation: Any) -> bool:
    return annotation is SecretStr or SecretStr in get_args(annotation)


def default_text(field: FieldInfo) -> str:
    if _is_secret(field.annotation):
        return SECRET_SHOWN_AS
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:
        return "required"
    else:
        value = field.default
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict | list):
        return f"`{json.dumps(value, sort_keys=True)}`"
    return f"`{value}`" if str(value) else '`""`'


def description(cls: type[BaseSettings], name: str) -> str:
    """The field's description, or that of the class it overrides (``http_port = 8001``)."""
    for klass in cls.__mro__:
        field = getattr(klass, "model_fields", {}).get(name)
        if field is not None and field.description:
            return str(field.description)
    return ""


def is_group(field: FieldInfo) -> bool:
    annotation = field.annotation
    return isinstance(annotation, type) and issubclass(annotation, BaseSettings)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def table(cls: type[BaseSettings]) -> Iterator[str]:
    yield "| Variable | Type | Default | Description |"
    yield "|---|---|---|---|"
    for name, field in cls.model_fields.items():
        if is_group(field):
            continue
        variable = " or ".join(f"`{n}`" for n in env_names(cls, name, field))
        kind = type_name(field.annotation) + _bounds(field)
        cells = (variable, kind, default_text(field), description(cls, name))
        yield "| " + " | ".join(_cell(c) for c in cells) + " |"


def groups(services: Mapping[str, type[BaseSettings]]) -> dict[str, type[BaseSettings]]:
    """The settings groups the services compose, by field name, in order of appearance."""
    found: dict[str, type[BaseSettings]] = {}
    for cls in services.values():
        for name, field in cls.model_fields.items():
            if is_group(field):
                found.setdefault(name, field.annotation)  # type: ignore[arg-type]
    return found


def _section(title: str, cls: type[BaseSettings], intro: str) -> list[str]:
    prefix = str(cls.model_config.get("env_prefix", ""))
    return ["", f"### {title} (`{prefix}`)", "", *([intro, ""] if intro else []), *table(cls)]


def configuration_markdown(services: Mapping[str, type[BaseSettings]]) -> str:
    lines = [HEADER, "## Shared by every service"]
    for name, cls in groups(services).items():
        intro = description(services[next(iter(services))], name) or (cls.__doc__ or "")
        lines += _section(name, cls, _cell(intro))
    lines += ["", "## Each service"]
    for service, cls in services.items():
        intro = f"Settings of the {service} service (`{cls.__module__}.{cls.__name__}`)."
        lines += _section(service, cls, intro)
    return "\n".join(lines) + "\n"
