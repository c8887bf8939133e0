"""The build report as the commendation officer reads it in a terminal: two tables and a summary."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .report import DossierReport

TYPE = {"collective": "Tập thể", "individual": "Cá nhân"}


def print_report(report: DossierReport, console: Console) -> None:
    if report.accepted:
        table = Table(title=f"Đề nghị tặng {escape(report.award)}: {report.counts['accepted']['text']}", title_justify="left")
        for column, justify in (("Dòng", "right"), ("Loại", "left"), ("Tên tập thể / Họ và tên", "left"),
                                ("Đơn vị", "left"), ("Phiếu", "right"), ("Tỷ lệ %", "right")):
            table.add_column(column, justify=justify)
        for row in report.accepted:
            table.add_row(str(row["row"]), TYPE[row["type"]], escape(row["name"]), escape(row["unit"]),
                          str(row["votes"]), row["percent"] or "")
        console.print(table)
    if report.rejected:
        table = Table(title=f"Không đủ điều kiện, không đưa vào hồ sơ: {report.counts['rejected']['text']}",
                      title_justify="left", show_lines=True)
        table.add_column("Dòng", justify="right")
        table.add_column("Tên tập thể / Họ và tên")
        table.add_column("Lý do (quy tắc và điều kiện còn thiếu)")
        for row in report.rejected:
            where = f"{row['sheet']}!{row['row']}" if row["sheet"] else str(row["row"])
            table.add_row(escape(where), escape(row["name"]), escape("\n".join(row["reasons"])))
        console.print(table)
    for note in report.notes:
        console.print(f"[dim]Ghi chú: {escape(note)}[/dim]", highlight=False)
    if report.output:
        pages = sum(d["pages"] for d in report.documents)
        console.print(f"Đã tạo {escape(report.output)}: {len(report.documents)} văn bản (.docx và PDF), "
                      f"PDF gộp {pages} trang, manifest.json", highlight=False)
    else:
        console.print(f"[bold]Không tạo hồ sơ:[/bold] {escape(report.stopped or '')}", highlight=False)
