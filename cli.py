"""docgen: official documents under Decree 30/2020/NĐ-CP, from data to .docx, PDF and archive.

Every command is a thin wrapper over a library call (see the docgen, archive and index
packages); `--json` prints exactly one JSON document on stdout, messages go to stderr.
Exit codes: 0 done, 1 the command found problems, 2 bad usage or bad input.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from functools import wraps
from pathlib import Path

import click

from docgen.errors import DocgenError


class OrderedGroup(click.Group):
    """Lists commands in the order a new user meets them, not alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


class DateParam(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        from docgen.vietnamese import parse_date

        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateParam()


def reports_errors(func):
    """Turn a DocgenError into a clear message on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DocgenError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)

    return wrapper


def emit_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@click.group(cls=OrderedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", envvar="DOCGEN_HOME", default="docgen-data", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Archive home (also DOCGEN_HOME).")
@click.version_option(package_name="docgen")
@click.pass_context
def cli(ctx: click.Context, home: Path) -> None:
    """Official documents of Vietnamese state offices under Decree 30/2020/NĐ-CP.

    Write a document as YAML, render it to .docx and PDF that follow the layout law,
    and check any .docx against that law.

    \b
    Start with:
      docgen kinds                       the document kinds
      docgen kinds ke_hoach              the fields of a kind, with an example
      docgen render ke_hoach plan.yaml -o plan.docx --pdf
      docgen check plan.docx
    """
    ctx.obj = {"home": home}


@cli.command()
@click.argument("kind", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@reports_errors
def kinds(kind: str | None, as_json: bool) -> None:
    """List the document kinds, or the fields of KIND with their Vietnamese names."""
    from docgen.catalog import describe_kind, list_kinds

    if kind is None:
        rows = list_kinds()
        if as_json:
            emit_json(rows)
            return
        width = max(len(r["name"]) for r in rows)
        for row in rows:
            code = row["type_code"] or "-"
            click.echo(f"{row['name']:<{width}}  {code:<4} {row['label']}: {row['description']}")
        return
    info = describe_kind(kind)
    if as_json:
        emit_json(info)
        return
    click.echo(f"{info['name']}: {info['label']} (symbol {info['symbol_example']})")
    click.echo(info["description"])
    click.echo("")
    for field in info["fields"]:
        need = "required" if field["required"] else "optional"
        line = f"  {field['name']:<16} {field['title'] or '':<34} {need}"
        click.echo(line.rstrip())
        if field["description"]:
            click.echo(f"  {'':<16} {field['description']}")
        if field["example"] is not None:
            click.echo(f"  {'':<16} e.g. {json.dumps(field['example'], ensure_ascii=False)}")
    if info["example_file"]:
        click.echo(f"\nExample data file: {info['example_file']}")


@cli.command()
@click.argument("kind")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The .docx to write.")
@click.option("--pdf", is_flag=True, help="Also write the PDF next to it (LibreOffice).")
@click.option("--number", type=click.IntRange(min=1), help="The document's number; without it, a draft.")
@click.option("--date", type=DATE, help="Issue date, YYYY-MM-DD or dd/mm/yyyy.")
@click.option("--template", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="An office's own .docx template for this kind.")
@click.option("--agency", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Agency file, if DATA does not name one.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@reports_errors
def render(kind, data, output, pdf, number, date, template, agency, as_json) -> None:
    """Render DATA (YAML or JSON) as a document of KIND.

    Without --number the document is a draft: the number is left blank after "Số:",
    as offices leave it before signing.
    """
    from docgen import render_to_files

    written = render_to_files(kind, data, output, pdf=pdf, number=number, date=date,
                              template=template, agency=agency)
    if as_json:
        emit_json(written)
    else:
        click.echo(f"Wrote {written['docx']}" + (f" and {written['pdf']}" if written["pdf"] else ""), err=True)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@reports_errors
def check(files: tuple[Path, ...], as_json: bool) -> None:
    """Check .docx FILES against Decree 30/2020/NĐ-CP; exit 1 if anything is wrong."""
    from docgen.check import check_document

    results = {str(path): check_document(path) for path in files}
    total = sum(len(findings) for findings in results.values())
    if as_json:
        emit_json({
            "files": [{"file": name, "ok": not findings, "findings": [f.as_dict() for f in findings]}
                      for name, findings in results.items()],
            "findings": total,
        })
    else:
        for name, findings in results.items():
            if not findings:
                click.echo(f"{name}: conforms to Decree 30 (0 findings)")
                continue
            click.echo(f"{name}: {len(findings)} finding(s)")
            for f in findings:
                click.echo(f"  [{f.rule}] {f.part}: {f.where}: found {f.found}; expected {f.expected}")
    if total:
        sys.exit(1)


if __name__ == "__main__":
    cli()
