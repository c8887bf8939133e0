"""Where template code runs: Jinja's immutable sandbox, with every size a template can ask for bounded.

Jinja's sandbox stops a template from reaching Python (attributes, files, imports), but not from
asking for a billion of something: `lipsum(10**6)`, `'{0:>1000000000}'.format('x')`, `'x' * 10**9`,
`10 ** 10 ** 10`, nested loops. Here the globals that only make text are gone, and widths,
repetitions and powers are checked before they are built, so the known bombs are refused at
once with a message naming the template. An office's own template (one not shipped with docgen)
also runs in a child process with its CPU time and memory capped by the kernel
(`run_limited`), for whatever no check here foresaw.
"""

from __future__ import annotations

import math
import os
import re
import resource
import signal
import string
from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from jinja2.filters import do_center, do_format, do_indent, do_replace
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .errors import TemplateFault
from .limits import (MB, TEMPLATE_CPU_SECONDS, TEMPLATE_FORMAT_MAX_WIDTH, TEMPLATE_MAX_ITEMS,
                     TEMPLATE_MEMORY_MAX_BYTES, TEMPLATE_VALUE_MAX_CHARS)


class TemplateLimit(SecurityError):
    """A template asked for more than a template may have."""


# A printf-style conversion ("%10s", "%*d", "%.3f"): its width and precision.
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_PADDING_METHODS = ("center", "ljust", "rjust", "zfill", "expandtabs")


def _check_width(width: Any, what: str) -> None:
    if isinstance(width, int) and width > TEMPLATE_FORMAT_MAX_WIDTH:
        raise TemplateLimit(f"{what}: a width of {width} (at most {TEMPLATE_FORMAT_MAX_WIDTH})")


def _check_printf(text: str) -> None:
    for width, precision in _PRINTF.findall(text):
        for number in (width, precision):
            if number == "*":
                raise TemplateLimit(f"{text[:40]!r}: a width taken from the arguments ('*') is not allowed")
            if number:
                _check_width(int(number), repr(text[:40]))


def _check_format(text: str) -> None:
    for _, field, spec, _ in string.Formatter().parse(text):
        if field is None or not spec:
            continue
        if "{" in spec:
            raise TemplateLimit(f"{text[:40]!r}: a width taken from the arguments ('{{}}' in a format) is not allowed")
        for number in re.findall(r"\d+", spec):
            _check_width(int(number), repr(text[:40]))


def _check_size(size: int, what: str) -> None:
    if size > TEMPLATE_VALUE_MAX_CHARS:
        raise TemplateLimit(f"{what} would make {size} characters (at most {TEMPLATE_VALUE_MAX_CHARS})")


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > TEMPLATE_MAX_ITEMS:
        raise TemplateLimit(f"range of {len(numbers)} numbers (at most {TEMPLATE_MAX_ITEMS})")
    return numbers


def _format_filter(value: Any, *args: Any, **kwargs: Any) -> str:
    _check_printf(str(value))
    return do_format(value, *args, **kwargs)


def _center_filter(value: str, width: int = 80) -> str:
    _check_width(width, "center")
    return do_center(value, width)


def _indent_filter(value: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    _check_width(width, "indent")
    _check_size(len(str(value)) * (width if isinstance(width, int) else len(width)), "indent")
    return do_indent(value, width, first, blank)


def _replace_filter(eval_ctx, value: str, old: str, new: str, count: int | None = None) -> str:
    text = str(value)
    times = (len(text) + 1 if old == "" else text.count(old)) if count is None else count
    _check_size(len(text) + max(times, 0) * max(len(str(new)) - len(str(old)), 0), "replace")
    return do_replace(eval_ctx, value, old, new, count)


_replace_filter.jinja_pass_arg = do_replace.jinja_pass_arg  # type: ignore[attr-defined]


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no list.append/extend: nothing grows in place), autoescaped,
    with the sizes a template can ask for checked before anything is built."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        del self.globals["lipsum"]  # placeholder text: nothing an official document needs
        self.globals["range"] = _bounded_range
        self.filters.update(format=_format_filter, center=_center_filter, indent=_indent_filter,
                            replace=_replace_filter)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0:
            if abs(left).bit_length() * right > TEMPLATE_VALUE_MAX_CHARS:
                raise TemplateLimit(f"{left} ** {right} is too large a number")
        elif operator == "*":
            sequence, times = (left, right) if isinstance(right, int) else (right, left)
            if isinstance(sequence, str) and isinstance(times, int):
                _check_size(len(sequence) * times, "a text repeated")
            elif isinstance(sequence, (list, tuple)) and isinstance(times, int):
                if len(sequence) * times > TEMPLATE_MAX_ITEMS:
                    raise TemplateLimit(f"a list repeated to {len(sequence) * times} items "
                                        f"(at most {TEMPLATE_MAX_ITEMS})")
        elif operator == "%" and isinstance(left, str):
            _check_printf(left)
        elif operator == "+" and isinstance(left, str) and isinstance(right, str):
            _check_size(len(left) + len(right), "joining two texts")
        elif operator == "+" and isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            if len(left) + len(right) > TEMPLATE_MAX_ITEMS:
                raise TemplateLimit(f"joining two lists to {len(left) + len(right)} items (at most {TEMPLATE_MAX_ITEMS})")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        text = value.__self__

        def bounded(*args: Any, **kwargs: Any) -> str:
            _check_format(text)
            return wrapper(*args, **kwargs)

        return update_wrapper(bounded, wrapper)

    def call(__self, __context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        if getattr(__obj, "__name__", None) in _PADDING_METHODS and isinstance(getattr(__obj, "__self__", None), str):
            for width in (*args, *kwargs.values()):
                _check_width(width, __obj.__name__)
        return super().call(__context, __obj, *args, **kwargs)


def run_limited(template: str, render: Callable[[], bytes]) -> bytes:
    """`render()` in a child process whose CPU time and memory the kernel caps; its bytes, or a
    TemplateFault naming `template` when it failed or went over a cap."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        os.close(read_end)
        status = 1
        try:
            _cap_child()
            try:
                payload = b"+" + render()
            except TemplateFault as fault:
                payload = b"-" + str(fault).encode()
            except MemoryError:
                payload = b"-" + over_memory(template).encode()
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _, status = os.waitpid(pid, 0)
    if payload[:1] == b"+" and status == 0:
        return payload[1:]
    if payload[:1] == b"-":
        raise TemplateFault(payload[1:].decode())
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        raise TemplateFault(f"{template}: the template ran for more than {TEMPLATE_CPU_SECONDS} s of CPU time "
                            "and was stopped")
    raise TemplateFault(f"{template}: rendering stopped without a result (status {status}); "
                        "the template may need more memory than a template may have")


def over_memory(template: str) -> str:
    return (f"{template}: the template needs more than {TEMPLATE_MEMORY_MAX_BYTES // MB} MB of memory "
            "and was stopped")


def _cap_child() -> None:
    """CPU time from now, and memory on top of what the process already maps; no core file."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(used.ru_utime + used.ru_stime) + TEMPLATE_CPU_SECONDS
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))  # SIGXCPU, then SIGKILL two seconds on
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    memory = mapped + TEMPLATE_MEMORY_MAX_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
