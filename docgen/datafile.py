"""Reading YAML/JSON data files into validated models, with errors a clerk can act on."""

from __future__ import annotations

import json
from pathlib import Path
import datetime as dt
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, BeforeValidator, ValidationError

from .errors import DataError
from .vietnamese import normalize_data, parse_date

Model = TypeVar("Model", bound=BaseModel)

# A date field of a data file: YAML's own dates, or text as YYYY-MM-DD or dd/mm/yyyy.
Date = Annotated[dt.date, BeforeValidator(lambda value: parse_date(value) if isinstance(value, str) else value)]

# libyaml's parser when PyYAML was built with it: several times faster on long documents.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_mapping(path: str | Path) -> dict[str, Any]:
    """Load a YAML or JSON file as a mapping, NFC-normalised."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(str(path), ["file not found"]) from None
    except UnicodeDecodeError as exc:
        raise DataError(str(path), [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    except OSError as exc:
        raise DataError(str(path), [exc.strerror or str(exc)]) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.load(text, Loader=SafeLoader)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise DataError(str(path), [f"not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {exc}"]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataError(str(path), [f"expected a mapping of fields at the top level, got {type(data).__name__}"])
    return normalize_data(data)


def field_title(model: type[BaseModel], loc: tuple[Any, ...]) -> str | None:
    """The Vietnamese name of the field at `loc`, following nested models."""
    current: Any = model
    title = None
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return title
        info = fields[part]
        title = info.title
        annotation = info.annotation
        current = inner_model(annotation)
    return title


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
        loc = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in ("str", "int"))))
        path = ".".join(str(p) for p in loc) or "(top level)"
        title = field_title(model, loc)
        name = f"'{path}' ({title})" if title else f"'{path}'"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing":
            message = "required, missing"
        elif error["type"] == "extra_forbidden":
            message = "unknown field (check the spelling; `docgen kinds KIND` lists the fields)"
        problems.append(f"field {name}: {message}")
    return list(dict.fromkeys(problems))


def validate(model: type[Model], data: dict[str, Any], source: str) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataError(source, describe_errors(model, exc)) from None


def load_model(model: type[Model], path: str | Path) -> Model:
    return validate(model, read_mapping(path), str(path))
