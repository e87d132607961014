"""Structural check: the resolved document against the format's pydantic model.

pydantic's errors are translated into guidekit diagnostics with the file, line and column of
the offending value (or key), one diagnostic per problem, all collected.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from guidekit import tasktypes
from guidekit.compiler.resolve import Document
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic
from guidekit.spec.format import (
    CLASS_ID_PATTERN,
    FORMAT_VERSIONS,
    PARENT_AND_PARENTS,
    TASK_TYPES_CONTEXT,
    Guideline,
)

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "an integer",
    "string_type_strict": "text",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
    "tuple_type": "a list",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _known_keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """Walk the Guideline model along a pydantic error path to find the model at its end."""
    from typing import get_args

    current: Any = Guideline
    for part in loc:
        if isinstance(part, str) and part.startswith("~"):
            continue
        candidates = _unwrap(current)
        nxt: Any = None
        for cand in candidates:
            if isinstance(cand, type) and issubclass(cand, BaseModel):
                field = next(
                    (f for n, f in cand.model_fields.items() if part in (n, f.alias)), None
                )
                if field is not None:
                    nxt = field.annotation
                    break
            elif isinstance(part, int) or not (
                isinstance(cand, type) and issubclass(cand, BaseModel)
            ):
                args = get_args(cand)
                if args:
                    nxt = args[-1]
                    break
        if nxt is None:
            return None
        current = nxt
    for cand in _unwrap(current):
        if isinstance(cand, type) and issubclass(cand, BaseModel):
            return cand
    return None


def _unwrap(tp: Any) -> list[Any]:
    from typing import Annotated, Union, get_args, get_origin

    out: list[Any] = []
    stack = [tp]
    while stack:
        t = stack.pop()
        origin = get_origin(t)
        if origin is Annotated:
            stack.append(get_args(t)[0])
        elif origin is Union or type(t).__name__ == "UnionType":
            stack.extend(reversed(get_args(t)))
        else:
            out.append(t)
    return out


def _is_class_id(err: ErrorDetails) -> bool:
    ctx = err.get("ctx") or {}
    return bool(ctx.get("pattern") == CLASS_ID_PATTERN)


def check_structure(doc: Document) -> tuple[Guideline | None, list[Diagnostic]]:
    """Validate ``doc`` against the format. Returns the model (when valid) and diagnostics."""
    data = doc.data
    source = doc.source
    if not isinstance(data, dict):
        return None, [
            diag(
                "GK203",
                f"a guideline file must be a mapping, not {_describe(data)}",
                source.locate(()),
            )
        ]
    version = data.get("guidekit")
    if version is None:
        return None, [
            diag(
                "GK201",
                "missing key 'guidekit' (the format version)",
                source.locate(()),
                hint="start the file with `guidekit: 1`",
            )
        ]
    if version not in FORMAT_VERSIONS or isinstance(version, bool):
        return None, [
            diag(
                "GK205",
                f"format version {_describe(version)} is not supported",
                source.locate(("guidekit",)),
                hint=f"this release reads format version(s) {', '.join(map(str, FORMAT_VERSIONS))}",
            )
        ]
    try:
        model = Guideline.model_validate(data, context={TASK_TYPES_CONTEXT: tasktypes.names()})
    except ValidationError as exc:
        return None, _translate(exc, doc)
    return model, []


def _translate(exc: ValidationError, doc: Document) -> list[Diagnostic]:
    source = doc.source
    grouped: dict[tuple[Any, ...], list[ErrorDetails]] = {}
    order: list[tuple[Any, ...]] = []
    out: list[Diagnostic] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        clean = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("~")))
        if kind == "missing":
            parent = source.locate(clean[:-1])
            out.append(diag("GK201", f"missing key '{clean[-1]}'", parent))
        elif kind == PARENT_AND_PARENTS:
            where = source.locate((*clean, "parents"), key=True)
            out.append(diag("GK204", err["msg"], where, hint="keep one of the two keys"))
        elif kind == "extra_forbidden":
            key = clean[-1]
            where = source.locate(clean, key=True)
            known = _known_keys(_model_at(loc[:-1]))
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else (
                    f"known keys here: {', '.join(known)}" if known and len(known) <= 12 else None
                )
            )
            out.append(diag("GK202", f"unknown key '{key}'", where, hint=hint))
        else:
            at = source.locate(clean).path
            if at not in grouped:
                grouped[at] = []
                order.append(at)
            grouped[at].append(err)
    for clean in order:
        errs = grouped[clean]
        where = source.locate(clean)
        value = errs[0].get("input")
        type_errs = [e for e in errs if e["type"] in _TYPE_WORDS]
        if len(type_errs) == len(errs):
            wanted = []
            for e in type_errs:
                word = _TYPE_WORDS[e["type"]]
                if word not in wanted:
                    wanted.append(word)
            expected = " or ".join(wanted)
            hint = None
            if isinstance(value, bool) and "text" in wanted:
                hint = "YAML reads yes/no/on/off/true/false as booleans; quote the value"
            elif isinstance(value, (int, float)) and "text" in wanted:
                hint = "quote the value to make it text"
            out.append(
                diag("GK203", f"expected {expected}, found {_describe(value)}", where, hint=hint)
            )
        else:
            e = next(e for e in errs if e["type"] not in _TYPE_WORDS)
            msg = e["msg"]
            if e["type"] == "literal_error":
                msg = f"{_describe(value)} is not allowed: " + msg[0].lower() + msg[1:]
            elif e["type"] == "string_pattern_mismatch" and _is_class_id(e):
                msg = (
                    f"{_describe(value)} is not a valid class id (a letter or digit of any "
                    "script, then letters, digits, '_', '-' or '.')"
                )
            elif e["type"] == "string_pattern_mismatch":
                msg = (
                    f"{_describe(value)} is not a valid identifier (a letter, then letters, "
                    "digits, '_', '-' or '.')"
                )
            else:
                msg = f"{_describe(value)}: " + msg[0].lower() + msg[1:]
            out.append(diag("GK204", msg, where))
    return out
