"""How search results, imports and index checks read in a terminal (rich)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from docgen.vietnamese import short_date, type_label

from .search import SearchResults

STATUS_LABELS = {"issued": "hiệu lực", "revoked": "thu hồi", "replaced": "thay thế", "imported": "nhập"}


def print_results(results: SearchResults, console: Console) -> None:
    """The hits as a table. Every text from the archive is a Text, never markup: a subject holding
    `[/x]` prints as typed."""
    for notice in results.notices:
        console.print(Text.assemble(("Note:", "yellow"), " ", notice))
    if not results.hits:
        console.print("No documents found.", highlight=False)
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Số, ký hiệu", no_wrap=True)
    table.add_column("Ngày", no_wrap=True)
    table.add_column("Loại", no_wrap=True)
    table.add_column("Trích yếu", ratio=2)
    table.add_column("Đoạn trích", ratio=3)
    for hit in results.hits:
        snippet = Text(hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold reverse", start, end)
        number = hit.number_symbol or f"({hit.id})"
        status = "" if hit.status == "issued" else f"\n[{STATUS_LABELS.get(hit.status, hit.status)}]"
        kind = (type_label(hit.type_name) if hit.type_name else kind_label(hit.kind)) + (
            f"\n{hit.secrecy}" if hit.secrecy else "")
        table.add_row(str(hit.rank), Text(number + status), short_date(hit.date), Text(kind), Text(hit.subject),
                      snippet)
    console.print(table)
    shown = len(results.hits)
    console.print(f"{results.total} document(s) found" + (f", the first {shown} shown" if shown < results.total
                                                          else ""), highlight=False)
    console.print(Text("By kind: " + ", ".join(f"{kind_label(k)} {n}" for k, n in results.by_kind.items())))
    if results.by_year:
        console.print(Text("By year: " + ", ".join(f"{y} {n}" for y, n in results.by_year.items())))


def kind_label(kind: str | None) -> str:
    """A kind as its Vietnamese type name (`Quyết định`), never the internal name."""
    from docgen.copy_block import KIND as COPY, KIND_LABEL as COPY_LABEL
    from docgen.kinds import KINDS

    if kind == COPY:
        return COPY_LABEL
    known = KINDS.get(kind or "")
    return type_label(known.type_name or known.label) if known else "?"


@contextmanager
def progress_bar(label: str, *, from_total: int = 0) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr when it is a terminal; else nothing (None). With `from_total`,
    the bar appears only once there are that many steps (a search that catches up with a
    few changes shows none)."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    shown: list[Progress] = []

    def update(done: int, total: int, step: str | None = None) -> None:
        """`step` names what is counted when it is not the bar's own label (the pages of a scan)."""
        if not shown:
            if total < from_total:
                return
            bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), console=console, transient=True)
            bar.start()
            bar.add_task(label, total=None)
            shown.append(bar)
        shown[0].update(shown[0].task_ids[0], completed=done, total=total, description=step or label)

    try:
        yield update
    finally:
        if shown:
            shown[0].stop()
