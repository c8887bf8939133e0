"""Reading YAML/JSON data files into validated models, with errors a clerk can act on."""

from __future__ import annotations

import json
import re
from pathlib import Path
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from difflib import get_close_matches
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ValidationError
from pydantic.fields import FieldInfo

from . import limits
from .errors import DataError
from .vietnamese import fold, normalize_data, parse_date

Model = TypeVar("Model", bound=BaseModel)

# A date field of a data file: YAML's own dates, or text as YYYY-MM-DD or dd/mm/yyyy.
Date = Annotated[dt.date, BeforeValidator(lambda value: parse_date(value) if isinstance(value, str) else value)]


@dataclass(frozen=True)
class OneOf:
    """An enumeration as a clerk types it: any case, marks optional, and other words for the same
    value (`khẩn` -> `KHẨN`, `Cá nhân` -> `individual`). `docgen kinds KIND` lists `accepted`."""

    values: tuple[str, ...]
    words: tuple[tuple[str, str], ...] = ()

    @cached_property
    def table(self) -> dict[str, str]:
        """Each value and other word, folded, to the value it stands for (built once)."""
        return {fold(v): v for v in self.values} | {fold(word): v for word, v in self.words}

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return self.table.get(fold(" ".join(value.split())), value)

    @property
    def accepted(self) -> str:
        listed = ", ".join(self.values)
        return "one of " + listed + (f" (or {', '.join(word for word, _ in self.words)})" if self.words else "")


def one_of(values: tuple[str, ...], words: dict[str, str] | None = None) -> Any:
    """`Literal[*values]` accepting any case, marks optional, and `words` for the same values."""
    return Annotated[Literal[values], BeforeValidator(OneOf(values, tuple((words or {}).items())))]


def text_or_list(value: Any) -> Any:
    """A field that takes a text or a list of texts, one paragraph each: both become a list."""
    if isinstance(value, str):
        return [line.strip() for line in value.split("\n") if line.strip()]
    return value


def list_or_text(value: Any) -> Any:
    """A field that takes a text or a list of texts, one paragraph each: both become one text."""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n\n".join(item.strip() for item in value if item.strip())
    return value


# `basis` of a plan and `bases` of a decision take the same shapes: a text or a list of texts.
Paragraphs = Annotated[str, BeforeValidator(list_or_text)]
TextList = Annotated[list[str], BeforeValidator(text_or_list)]


def accepted_values(info: FieldInfo) -> str | None:
    """What an enumeration field accepts, for messages and `docgen kinds KIND`; None for other fields."""
    def search(annotation: Any, metadata: Any = ()) -> str | None:
        for meta in (*metadata, *getattr(annotation, "__metadata__", ())):
            if isinstance(getattr(meta, "func", None), OneOf):
                return meta.func.accepted
        for arg in getattr(annotation, "__args__", ()) or ():
            if (found := search(arg)) is not None:
                return found
        return None

    return search(info.annotation, info.metadata)


class DataLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when PyYAML has it
    """YAML's safe loader with dates left as text: a Date field reads them, and a date that does not
    exist (2025-02-31) is reported on its field instead of failing the whole file."""


DataLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def read_mapping(path: str | Path) -> dict[str, Any]:
    """Load a YAML or JSON file as a mapping, NFC-normalised, within the limits of docgen.limits."""
    path = Path(path)
    is_json = path.suffix.lower() == ".json"
    try:
        with path.open("rb") as handle:  # read no more than the limit, whatever the file claims (/dev/zero)
            raw = handle.read(limits.DATA_FILE_BYTES + 1)
        if len(raw) > limits.DATA_FILE_BYTES:
            size = path.stat().st_size
            most = limits.size_text(limits.DATA_FILE_BYTES)
            raise DataError(str(path), [f"the file is {limits.size_text(size) if size else 'more than ' + most}; "
                                        f"a data file may be at most {most}"])
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise DataError(str(path), ["file not found"]) from None
    except UnicodeDecodeError as exc:
        raise DataError(str(path), [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    except OSError as exc:
        raise DataError(str(path), [exc.strerror or str(exc)]) from None
    try:
        data = json.loads(text) if is_json else yaml.load(text, Loader=DataLoader)
    except yaml.YAMLError as exc:
        raise DataError(str(path), [yaml_problem(exc)]) from None
    except json.JSONDecodeError as exc:
        raise DataError(str(path), [f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]) from None
    except RecursionError:
        raise DataError(str(path), [f"nested more than {limits.DATA_DEPTH} levels deep"]) from None
    except ValueError as exc:  # a value the constructors refuse, e.g. an integer over Python's 4,300 digits
        problem = ("a number of more than 4,300 digits; quote it if it is text" if "integer string" in str(exc)
                   else str(exc))
        raise DataError(str(path), [f"not valid {'JSON' if is_json else 'YAML'}: {problem}"]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataError(str(path), [f"expected a mapping of fields at the top level, got {type(data).__name__}"])
    check_size(data, str(path))
    return normalize_data(data)


def yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML syntax error as a clerk can fix it: the line and column, and what to do."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    message = f"not valid YAML{where}: {problem}"
    if "mapping values are not allowed" in problem:
        message += ("; a value that contains ': ' must be quoted, e.g. subject: \"Kế hoạch: thi đua năm học\"")
    elif "tab character" in problem or "'\\t'" in problem:
        message += "; indent with spaces, not tabs"
    return message


def field_path(path: tuple[str | int, ...]) -> str:
    """`nominees[1].name`: list items counted from 1, as a clerk counts them."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_PROBLEM_FIELD = re.compile(r"field '([^']+)'")


def problem_field(problem: str) -> str | None:
    """The field path a message of describe_errors names (`nominees[1].name`), or None."""
    found = _PROBLEM_FIELD.match(problem)
    return found.group(1) if found else None


def check_size(data: Any, source: str) -> None:
    """Refuse data over the limits of docgen.limits: one field's or list's size, the nesting depth, and
    the size after YAML aliases are expanded (counted per shared value, so a bomb is never expanded)."""
    problems: list[str] = []
    sizes: dict[int, tuple[int, int]] = {}
    open_now: set[int] = set()

    def name(path: tuple[str | int, ...]) -> str:
        return f"field '{field_path(path)}'" if path else "the file"

    def walk(value: Any, path: tuple[str | int, ...]) -> tuple[int, int]:
        if isinstance(value, str):
            if len(value) > limits.DATA_FIELD_CHARS:
                problems.append(f"{name(path)}: {len(value):,} characters; a field may hold at most "
                                f"{limits.DATA_FIELD_CHARS:,}")
            return 1, len(value)
        if not isinstance(value, (dict, list)):
            return 1, 0
        key = id(value)
        if key in sizes:
            return sizes[key]
        if key in open_now:
            raise DataError(source, [f"{name(path)}: a YAML alias names the value that contains it"])
        if len(path) >= limits.DATA_DEPTH:
            raise DataError(source, [f"{name(path)}: nested more than {limits.DATA_DEPTH} levels deep"])
        if isinstance(value, list) and len(value) > limits.DATA_LIST_ITEMS:
            problems.append(f"{name(path)}: {len(value):,} items; a list may hold at most {limits.DATA_LIST_ITEMS:,}")
        open_now.add(key)
        values, chars = 1, 0
        items = ((str(k), v) for k, v in value.items()) if isinstance(value, dict) else enumerate(value)
        for part, child in items:
            more_values, more_chars = walk(child, (*path, part))
            values, chars = values + more_values, chars + more_chars
            if values > limits.DATA_VALUES or chars > limits.DATA_TEXT_CHARS:
                raise DataError(source, [
                    f"{name(path)}: more than {limits.DATA_VALUES:,} values or {limits.DATA_TEXT_CHARS:,} "
                    "characters once YAML aliases (*name) are expanded; write the values out instead"])
        open_now.discard(key)
        sizes[key] = values, chars
        return values, chars

    walk(data, ())
    if problems:
        raise DataError(source, list(dict.fromkeys(problems)))


def field_info(model: type[BaseModel], loc: tuple[Any, ...]) -> FieldInfo | None:
    """The field at `loc`, following nested models; None where `loc` names no field."""
    current: Any = model
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        info = fields[part]
        current = inner_model(info.annotation)
    return info


def inner_model(annotation: Any) -> Any:
    """The BaseModel inside Optional[...], list[...], Union[..., str] and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def describe_errors(model: type[BaseModel], exc: ValidationError) -> list[str]:
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        # pydantic reports each Union branch; keep the user's words simple.
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in ("str", "int", "list"))))
        path = field_path(loc) or "(top level)"
        info = field_info(model, loc)
        name = f"'{path}' ({info.title})" if info and info.title else f"'{path}'"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required, missing"
        elif error["type"] == "literal_error" and info and accepted_values(info):
            message = f"expected {accepted_values(info)}, got {error['input']!r}"
        elif error["type"] == "extra_forbidden":
            message = "unknown field" + did_you_mean(model, loc) + " (`docgen kinds KIND` lists the fields)"
        problems.append(f"field {name}: {message}")
    return list(dict.fromkeys(problems))


def did_you_mean(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    """`; did you mean 'subject'?` for a misspelt field, from the fields of the model it sits in."""
    current: Any = model
    for part in loc[:-1]:
        fields = getattr(current, "model_fields", None)
        if isinstance(part, int):
            continue
        if not fields or part not in fields:
            return ""
        current = inner_model(fields[part].annotation)
    known = list(getattr(current, "model_fields", {}))
    close = get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6) if loc else []
    return f"; did you mean '{close[0]}'?" if close else ""


def validate(model: type[Model], data: dict[str, Any], source: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataError(source, describe_errors(model, exc)) from None


def load_model(model: type[Model], path: str | Path) -> Model:
    return validate(model, read_mapping(path), str(path))
