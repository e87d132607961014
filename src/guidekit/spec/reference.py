"""Reference text generated from the format models and the code registry.

The key reference of ``spec/format.md``, the code list of ``spec/diagnostics.md`` and the
meta-schema ``spec/guideline.schema.json`` are all produced here, so the documentation can
never drift from :mod:`guidekit.spec.format` and :mod:`guidekit.diagnostics.codes`. Every function returns
the same text for the same models: no timestamps, no paths, stable order.
:mod:`guidekit._docgen` writes the results into the spec files.
"""

from __future__ import annotations

import inspect
import json
import re
import types
import typing
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from guidekit import tasktypes
from guidekit.diagnostics.codes import CODES, Code
from guidekit.spec import format as fmt
from guidekit.spec.markdown import escape_markdown

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://guidekit.dev/schema/guideline-1.json"
SCHEMA_TITLE = "guidekit guideline, format 1"

#: Ranges of diagnostic codes, by their first digit, with the name of each range.
RANGES: tuple[tuple[str, str], ...] = (
    ("GK0", "command line and environment"),
    ("GK1", "loading YAML"),
    ("GK2", "structure"),
    ("GK3", "meaning"),
    ("GK4", "lint advice"),
    ("GK5", "deliveries"),
    ("GK6", "quality and acceptance"),
    ("GK7", "versions and diffs"),
    ("GK8", "labelling-tool bridges"),
)

# Named string types of the format, recognised by the FieldInfo in their Annotated metadata.
_NAMED_TYPES: dict[int, str] = {
    id(get_args(fmt.Id)[1]): "id",
    id(get_args(fmt.SemVer)[1]): "semver",
    id(get_args(fmt.Text)[1]): "Markdown",
}
_SCALARS: dict[Any, str] = {
    str: "text",
    int: "integer",
    float: "number",
    bool: "boolean",
    Any: "any",
    type(None): "null",
}
_UNION_TYPES: tuple[Any, ...] = (Union, types.UnionType)
_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./\- ]*$")
_YAML_WORDS = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"}


# -- models and their fields ----------------------------------------------------------------


def model_name(model: type[BaseModel]) -> str:
    """The name a model goes by in the docs and the meta-schema (``Field_`` is ``Field``)."""
    return model.__name__.rstrip("_") or model.__name__


def _anchor(model: type[BaseModel]) -> str:
    return "ref-" + model_name(model).lower()


def _field_hints(model: type[BaseModel]) -> dict[str, Any]:
    """Declared field types with their ``Annotated`` metadata (pydantic strips some of it)."""
    try:
        hints = typing.get_type_hints(model, include_extras=True)
    except (NameError, TypeError):  # pragma: no cover - unresolvable forward reference
        hints = {}
    return {name: hints.get(name, info.annotation) for name, info in model.model_fields.items()}


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _models_in(tp: Any) -> Iterator[type[BaseModel]]:
    """Models named in a type, in the order they are written."""
    origin = get_origin(tp)
    if _is_model(tp):
        yield tp
    elif origin is Annotated:
        yield from _models_in(get_args(tp)[0])  # the rest is metadata
    elif origin is not Literal:
        for arg in get_args(tp):
            yield from _models_in(arg)


def reachable_models(root: type[BaseModel] = fmt.Guideline) -> list[type[BaseModel]]:
    """``root`` and every model reachable from it, in order of first appearance.

    The walk is depth first in field order, so each model's parts follow it closely:
    ``Task``, ``Class``, ``Attribute``, ``Condition``, ``Example``, ...
    """
    order: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in order:
            return
        order.append(model)
        for tp in _field_hints(model).values():
            for inner in _models_in(tp):
                visit(inner)

    visit(root)
    return order


def field_key(name: str, info: FieldInfo) -> str:
    """The key users write for a field: its alias when it has one."""
    return info.alias or name


# -- rendering types and values -------------------------------------------------------------


def render_type(tp: Any, *, nested: bool = False) -> str:
    """A readable name of a field type: ``list of [Class](#ref-class) or Include``."""
    origin = get_origin(tp)
    if origin is Annotated:
        base, *meta = get_args(tp)
        for item in meta:
            if id(item) in _NAMED_TYPES:
                return _NAMED_TYPES[id(item)]
            if item is fmt.REGISTERED_TASK_TYPE:
                return render_type(Literal[tasktypes.BUILTIN], nested=nested)
        return render_type(base, nested=nested)
    if _is_model(tp):
        return f"[{model_name(tp)}](#{_anchor(tp)})"
    if tp in _SCALARS:
        return _SCALARS[tp]
    if origin is Literal:
        text = "one of: " + ", ".join(yaml_literal(v) for v in get_args(tp))
        return f"({text})" if nested else text
    if origin in _UNION_TYPES:
        members = [a for a in get_args(tp) if a is not type(None)]
        if len(members) == 1:
            return render_type(members[0], nested=nested)
        text = " or ".join(render_type(m, nested=True) for m in members)
        return f"({text})" if nested else text
    if origin is list:
        (item,) = get_args(tp) or (Any,)
        return "list of " + render_type(item, nested=True)
    if origin is dict:
        key, value = get_args(tp) or (Any, Any)
        return f"mapping of {render_type(key, nested=True)} → {render_type(value, nested=True)}"
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return "list of " + render_type(args[0], nested=True)
        if len(args) == 2 and args[0] == args[1]:
            return "pair of " + render_type(args[0], nested=True)
        return "list of " + ", ".join(render_type(a, nested=True) for a in args)
    return getattr(tp, "__name__", str(tp))  # pragma: no cover - a type the format lacks


def yaml_literal(value: Any) -> str:
    """A value as a YAML flow literal: ``null``, ``true``, ``[public]``, ``{}``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        if _PLAIN.match(value) and value.lower() not in _YAML_WORDS and not value.endswith(" "):
            return value
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, BaseModel):
        return yaml_literal(value.model_dump(by_alias=True, exclude_defaults=True))
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{yaml_literal(k)}: {yaml_literal(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_literal(v) for v in value) + "]"
    return json.dumps(str(value))  # pragma: no cover


def render_default(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    return f"`{yaml_literal(info.get_default(call_default_factory=True))}`"


def _cell(text: str) -> str:
    return escape_markdown(" ".join(text.split()))


def _doc(model: type[BaseModel]) -> str:
    """A model's docstring as Markdown paragraphs (reST double backticks become single)."""
    raw = model.__doc__
    if not raw:
        return ""
    paragraphs = inspect.cleandoc(raw).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs).replace("``", "`")


# -- the key reference ----------------------------------------------------------------------


def model_reference(model: type[BaseModel]) -> str:
    """One model: anchor, heading, docstring and the table of its keys."""
    lines = [f'<a id="{_anchor(model)}"></a>', "", f"### {model_name(model)}", ""]
    doc = _doc(model)
    if doc:
        lines += [doc, ""]
    inline = model.model_config.get("extra") == "allow"
    if inline:
        lines += [
            "Keys not listed below are record fields written inline: `body: ...` is the same "
            "as `record: {body: ...}`. A field whose name is one of the keys below must be "
            "written under `record:`.",
            "",
        ]
    lines += ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    hints = _field_hints(model)
    for name, info in model.model_fields.items():
        key = field_key(name, info)
        meaning = _cell(info.description or "")
        lines.append(
            f"| `{key}` | {render_type(hints[name])} | {render_default(info)} | {meaning} |"
        )
    if inline:
        lines.append("| *any other key* | any | | A record field, written inline. |")
    return "\n".join(lines) + "\n"


def format_reference() -> str:
    """The key reference of the format: every model reachable from ``Guideline``."""
    models = reachable_models()
    index = " · ".join(f"[{model_name(m)}](#{_anchor(m)})" for m in models)
    parts = [
        "Every mapping of the format, starting from the root of `guideline.yaml`. "
        "*required* keys must be given; the others take the default shown. "
        "A type written *X or Include* may be replaced by `{include: path.yaml}`.",
        "",
        index,
        "",
    ]
    parts += [model_reference(m) for m in models]
    return "\n".join(parts).rstrip("\n") + "\n"


# -- the diagnostics reference --------------------------------------------------------------


def _range_of(code: str) -> str:
    for prefix, _ in RANGES:
        if code.startswith(prefix):
            return prefix
    return ""


def code_reference(code: Code) -> str:
    lines = [f"#### {code.code}", "", f"**{code.title}** · default severity: {code.severity.value}"]
    if code.aliases:
        lines[-1] += " · formerly " + ", ".join(f"`{a}`" for a in code.aliases)
    lines += ["", " ".join(code.doc.split())]
    return "\n".join(lines) + "\n"


def diagnostics_reference() -> str:
    """Every registered code, grouped by range, with severity, title and explanation."""
    codes = sorted(CODES.values(), key=lambda c: c.code)
    lines = ["| code | severity | title |", "| --- | --- | --- |"]
    lines += [
        f"| [{c.code}](#{c.code.lower()}) | {c.severity.value} | {_cell(c.title)} |" for c in codes
    ]
    parts = ["\n".join(lines) + "\n"]
    groups = [*RANGES, ("", "other codes")]
    for prefix, name in groups:
        members = [c for c in codes if _range_of(c.code) == prefix]
        if not prefix and not members:
            continue
        heading = f"### {prefix}xx: {name}" if prefix else f"### {name.capitalize()}"
        parts.append(heading + "\n")
        if not members:
            parts.append("No codes in this range yet.\n")
        parts += [code_reference(c) for c in members]
    return "\n".join(parts).rstrip("\n") + "\n"


# -- the meta-schema ------------------------------------------------------------------------

_DATA_KEYS = frozenset({"default", "const", "enum", "examples"})


def _sort_schema(node: Any, *, keep_order: bool = False) -> Any:
    """Sort keys recursively; ``properties`` keep their declared order; data stays as is."""
    if isinstance(node, dict):
        items = list(node.items()) if keep_order else sorted(node.items())
        out: dict[str, Any] = {}
        for key, value in items:
            if not keep_order and key in _DATA_KEYS:
                out[key] = value
            else:
                out[key] = _sort_schema(value, keep_order=not keep_order and key == "properties")
        return out
    if isinstance(node, list):
        return [_sort_schema(v) for v in node]
    return node


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                name = value.removeprefix("#/$defs/")
                out[key] = "#/$defs/" + renames.get(name, name)
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(v, renames) for v in node]
    return node


def _key_patterns(node: Any) -> Any:
    """Check the keys of ``dict[Id, X]`` mappings.

    pydantic writes such a mapping as ``patternProperties: {<pattern>: X}``, which lets a key
    that does not match the pattern through *unchecked*. The equivalent that rejects it is
    ``propertyNames: {pattern: <pattern>}`` with ``additionalProperties: X``.
    """
    if isinstance(node, list):
        return [_key_patterns(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: v if k in _DATA_KEYS else _key_patterns(v) for k, v in node.items()}
    patterns = out.get("patternProperties")
    if (
        isinstance(patterns, dict)
        and len(patterns) == 1
        and "properties" not in out
        and "additionalProperties" not in out
    ):
        ((pattern, value),) = patterns.items()
        del out["patternProperties"]
        out["propertyNames"] = {**out.get("propertyNames", {}), "pattern": pattern}
        out["additionalProperties"] = value
    return out


def meta_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of ``guideline.yaml``, as editors and checkers use it."""
    schema = fmt.Guideline.model_json_schema(by_alias=True, mode="validation")
    defs: dict[str, Any] = schema.get("$defs", {})
    # the format names no task types; the built-in ones are listed for editors
    defs["Task"]["properties"]["type"]["enum"] = list(tasktypes.BUILTIN)
    renames = {
        name: name.rstrip("_")
        for name in defs
        if name.endswith("_") and name.rstrip("_") and name.rstrip("_") not in defs
    }
    for old, new in renames.items():
        definition = defs.pop(old)
        if definition.get("title") == old:
            definition["title"] = new
        defs[new] = definition
    schema = _key_patterns(_rename_refs(schema, renames))
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = SCHEMA_ID
    schema["title"] = SCHEMA_TITLE
    return typing.cast(dict[str, Any], _sort_schema(schema))


def meta_schema_json() -> str:
    """:func:`meta_schema` as JSON text: two-space indent, UTF-8, trailing newline."""
    return json.dumps(meta_schema(), indent=2, ensure_ascii=False) + "\n"
