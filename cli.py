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
from docgen.vietnamese import short_date, type_label


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
YEAR = click.IntRange(1, 9999)  # the years a date can have


class OutputPath(click.Path):
    """A file to write, in a folder that exists: like `cp`, never create folders on a typo."""

    def __init__(self):
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        folder = path.parent
        if not folder.is_dir():
            self.fail(f"the folder {folder} does not exist" if not folder.exists() else f"{folder} is not a folder",
                      param, ctx)
        return path


OUTPUT = OutputPath()


def reports_errors(func):
    """Turn a DocgenError into a clear message on stderr and exit code 2, a full disk into exit 1."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            refuse_names_not_utf8(kwargs)
            return func(*args, **kwargs)
        except DocgenError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except Exception as exc:
            from docgen.disk import says_full

            if not says_full(exc):
                raise
            name = getattr(exc, "filename2", None) or getattr(exc, "filename", None)
            where = f" ({shown(name)})" if name else ""
            click.echo(f"Error: the disk is full{where}: free some space and run the command again", err=True)
            sys.exit(1)

    return wrapper


def shown(name) -> str:
    """A file name as text, bytes that are not UTF-8 shown as \\xff."""
    return str(name).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def refuse_names_not_utf8(arguments: dict) -> None:
    """File names (and other arguments) whose bytes are not UTF-8 cannot be stored or printed: refuse them."""
    for value in arguments.values():
        for item in value if isinstance(value, (tuple, list)) else (value,):
            if isinstance(item, (str, Path)) and shown(item) != str(item):
                raise DocgenError(f"{shown(item)}: the name is not UTF-8 text; rename it (Vietnamese names are "
                                  "fine when written as UTF-8)")


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
        if field["accepted"]:
            click.echo(f"  {'':<16} {field['accepted']}; any case, marks optional")
        if field["example"] is not None:
            click.echo(f"  {'':<16} e.g. {json.dumps(field['example'], ensure_ascii=False)}")
    if info["markup"]:
        click.echo(f"\n{info['markup']}")
    if info["example_file"]:
        click.echo(f"\nExample data file: {info['example_file']}")


@cli.command()
@click.argument("kind")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=OUTPUT, required=True,
              help="The .docx to write.")
@click.option("--pdf", is_flag=True, help="Also write the PDF next to it (LibreOffice).")
@click.option("--number", type=click.IntRange(min=1), help="The document's number; without it, a draft.")
@click.option("--date", type=DATE, help="Issue date, YYYY-MM-DD or dd/mm/yyyy.")
@click.option("--template", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="An office's own .docx template for this kind.")
@click.option("--agency", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Agency file, if DATA does not name one.")
@click.option("--nominees", type=click.Path(dir_okay=False, path_type=Path),
              help="The attached list from a spreadsheet (.xlsx/.csv), for to_trinh and quyet_dinh_khen_thuong.")
@click.option("--rules", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="With --nominees: rules file naming the awards and bonus coefficients (default: the shipped one).")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@reports_errors
def render(kind, data, output, pdf, number, date, template, agency, nominees, rules, as_json) -> None:
    """Render DATA (YAML or JSON) as a document of KIND.

    Without --number the document is a draft: the number is left blank after "Số:",
    as offices leave it before signing. With --nominees the attached list is read from
    the spreadsheet and an award decision's bonus is computed from the rules file.
    """
    from docgen import render_to_files

    if nominees is not None:
        from docgen.dossier import render_decision

        written = render_decision(kind, data, nominees, output, pdf=pdf, number=number, date=date,
                                  template=template, agency=agency, rules=rules)
    else:
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


# -- The archive: issuing, the register, integrity (archive/, issue 3) -----------------------


def actor_option(func):
    return click.option("--actor", metavar="NAME",
                        help="Who does this, for the audit trail (default: the OS user).")(func)


def include_secret_option(func):
    return click.option("--include-secret", is_flag=True,
                        help="Include documents marked MẬT, TỐI MẬT or TUYỆT MẬT (hidden otherwise).")(func)


def open_archive(ctx: click.Context):
    from archive import Archive
    from docgen.converter import use_home

    use_home(ctx.obj["home"])  # a `docgen serve` of this home may have a LibreOffice running
    return Archive.open(ctx.obj["home"])


def print_document(record, history=None) -> None:
    from archive.records import STATUS_LABELS

    click.echo(f"{record.number_symbol}  (id {record.id}, register {record.register}, {record.year})  "
               f"{STATUS_LABELS[record.status]}")
    rows = [
        ("Loại", type_label(record.type_name)), ("Trích yếu", record.subject),
        ("Ngày", f"{record.place}, {short_date(record.date)}"),
        ("Cơ quan", " / ".join(x for x in (record.parent_agency, record.agency) if x)),
        ("Đơn vị soạn thảo", record.drafting_unit),
        ("Người ký", ", ".join(x for x in (record.signing_authority, record.signer_title, record.signer_name) if x)),
        ("Nơi nhận", "\n".join(record.recipients)), ("Độ mật", record.secrecy), ("Độ khẩn", record.urgency),
        ("Số lượng bản", record.copies), ("Số trang", record.pages), ("Thời hạn bảo quản", record.retention),
        ("Ban hành", f"{record.issued_at} by {record.issued_by}"),
    ]
    if record.superseded_by:
        rel = record.superseded_by
        rows.append(("Thu hồi bởi" if rel.relation == "revoked" else "Thay thế bởi",
                     f"{rel.number_symbol} (id {rel.by_document_id})"))
    for rel in record.supersedes:
        rows.append(("Thu hồi" if rel.relation == "revoked" else "Thay thế", f"{rel.number_symbol} (id {rel.document_id})"))
    if record.copy_of:
        rows.append(("Bản sao của", copy_line(record.copy_of, record.copy_of.source_id)))
    for link in record.copies_made:
        rows.append(("Bản sao", copy_line(link, link.copy_id)))
    for label, value in rows:
        if value not in (None, ""):
            lines = str(value).splitlines()
            click.echo(f"  {label:<18} {lines[0]}")
            for more in lines[1:]:
                click.echo(f"  {'':<18} {more}")
    for f in record.files.values():
        click.echo(f"  {f.role.upper():<18} {f.path}  ({f.size:,} bytes, sha256 {f.sha256[:16]}...)")
    for row in history or []:
        click.echo(f"  {'Nhật ký':<18} {row['at']}  {row['action']}  by {row['actor']}")


@cli.command()
@click.option("--agency", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The agency file, copied into the home.")
@click.option("--config", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Registers and retention settings (config.yaml), copied into the home.")
@click.option("--database", envvar="DOCGEN_DATABASE", metavar="URL",
              help="Server mode: keep the records in this PostgreSQL database, postgresql://USER@HOST/DB "
                   "(also DOCGEN_DATABASE; its password in ~/.pgpass or PGPASSWORD, never in the URL).")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print the new home as JSON.")
@click.pass_context
@reports_errors
def init(ctx, agency, config, database, actor, as_json) -> None:
    """Create an archive home (--home, else DOCGEN_HOME, else ./docgen-data) for AGENCY.

    \b
    Examples:
      docgen --home docgen-data init --agency examples/agency.yaml
      docgen --home /srv/docgen init --agency agency.yaml --database postgresql://docgen@db.so.vn/docgen
    """
    from archive import Archive

    with Archive.init(ctx.obj["home"], agency, config=config, actor=actor, database=database or None) as archive:
        info = {"home": str(archive.home), "agency": archive.agency.name, "code": archive.agency.code,
                "registers": archive.config.registers.model_dump(), "database": archive.db.name}
    if as_json:
        emit_json(info)
    else:
        click.echo(f"Created the archive home {info['home']} for {info['agency']} ({info['code']})", err=True)


@cli.command()
@click.argument("kind")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--date", type=DATE, help="Issue date, YYYY-MM-DD or dd/mm/yyyy (default: the data's date, else today).")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="Also make the PDF copy (LibreOffice).")
@click.option("--strict", is_flag=True, help="Refuse to issue if `docgen check` finds anything (exit 1, no number used).")
@click.option("--sign", is_flag=True, help="Sign the PDF with the signer's and the agency's keys (`docgen keys`).")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print the issued document as JSON.")
@click.pass_context
@reports_errors
def issue(ctx, kind, data, date, pdf, strict, sign, actor, as_json) -> None:
    """Issue DATA as a document of KIND: next number, render, store, register, audit.

    The document is checked against Decree 30 before it is numbered: findings are printed
    as warnings (in --json under "warnings"); with --strict any finding refuses the issue
    with exit 1 and no number is used. With --sign the PDF is signed by the signer, then
    by the agency; if signing fails the document stays issued and `docgen sign ID` signs it.

    \b
    Example:
      docgen issue cong_van letter.yaml --date 2025-09-18 --strict
      docgen issue quyet_dinh_khen_thuong qd.yaml --sign
    """
    from archive import issue_document
    from archive.errors import NotConforming

    try:
        with open_archive(ctx) as archive:
            issued = issue_document(archive, kind, data, date=date, pdf=pdf, actor=actor, strict=strict, sign=sign,
                                    prompt=password_prompt())
    except NotConforming as exc:
        if as_json:
            emit_json({"issued": False, "findings": [f.as_dict() for f in exc.findings]})
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    for warning in issued.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        emit_json(issued.as_dict())
    else:
        record = issued.record
        click.echo(f"Issued {record.number_symbol} (id {record.id}) dated {short_date(record.date)}, "
                   f"register {record.register}")
        for f in record.files.values():
            click.echo(f"  {f.role}: {f.path}")


@cli.command()
@click.argument("ref", metavar="ID|NUMBER_SYMBOL")
@click.option("--year", type=YEAR, help="The year, when the number-symbol exists in several.")
@include_secret_option
@click.option("--json", "as_json", is_flag=True, help="Print the document's record as JSON.")
@click.pass_context
@reports_errors
def show(ctx, ref, year, include_secret, as_json) -> None:
    """Show an issued document: its metadata, files, relations and history."""
    from archive import find_document, load_record
    from archive.audit import history

    with open_archive(ctx) as archive:
        found = find_document(archive.db, ref, year=year, include_secret=include_secret)
        record = load_record(archive.db, found, archive.store, include_secret=include_secret)
        events = history(archive.db, record.id)
    if as_json:
        emit_json({**record.as_dict(), "history": events})
    else:
        print_document(record, events)


@cli.command()
@click.argument("ref", metavar="ID|NUMBER_SYMBOL")
@click.option("-o", "--output", required=True, type=OUTPUT,
              help="Where to write the copy.")
@click.option("--pdf", is_flag=True, help="The PDF copy (an OUTPUT ending in .pdf says the same).")
@click.option("--year", type=YEAR, help="The year, when the number-symbol exists in several.")
@include_secret_option
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_context
@reports_errors
def get(ctx, ref, output, pdf, year, include_secret, as_json) -> None:
    """Copy an issued document's DOCX or PDF (the signed PDF once signed) out of the store to OUTPUT
    (.docx or .pdf), hash checked.

    Example: docgen get 05/QĐ-SGD&ĐT -o qd.pdf
    """
    from archive import IntegrityProblem, find_document, load_record
    from archive.records import read_copy

    role = copy_role(output, pdf)
    with open_archive(ctx) as archive:
        found = find_document(archive.db, ref, year=year, include_secret=include_secret)
        record = load_record(archive.db, found, archive.store, include_secret=include_secret)
        try:
            stored, content = read_copy(archive.store, record, role)
        except IntegrityProblem as exc:
            click.echo(f"Error: {record.number_symbol}: {exc}", err=True)
            sys.exit(1)
    write_out(content, output)
    info = {"id": record.id, "number_symbol": record.number_symbol, "role": role, "path": str(output),
            "sha256": stored.sha256, "size": stored.size}
    if as_json:
        emit_json(info)
    else:
        click.echo(f"Wrote {output} ({record.number_symbol}, {role.upper()})", err=True)


def copy_line(link, other_id: int) -> str:
    from docgen.copy_block import FORMS

    pages = f", trang {link.pages}" if link.pages else ""
    return f"{link.number_symbol} (id {other_id}; {FORMS[link.form].label.lower()}{pages})"


def write_out(content: bytes, output: Path) -> None:
    """Write OUTPUT whole or not at all."""
    from archive.store import fsync_dir

    staged = output.with_name(f".{output.name}.part")
    staged.write_bytes(content)
    staged.replace(output)
    fsync_dir(output.parent)


def copy_role(output: Path, pdf: bool) -> str:
    """Which copy `get` writes: the one OUTPUT's extension names (--pdf must agree)."""
    role = output.suffix.lower().lstrip(".")
    if role not in ("docx", "pdf"):
        raise DocgenError(f"{output}: cannot tell which copy to write: name a .docx or a .pdf file")
    if pdf and role != "pdf":
        raise DocgenError(f"{output}: --pdf asks for the PDF copy, but the name ends in .{role}: name a .pdf file")
    return role


@cli.command(name="list")
@click.option("--year", type=YEAR, help="Only documents of this year.")
@click.option("--kind", help="Only documents of this kind (e.g. quyet_dinh_khen_thuong).")
@click.option("--register", help="Only documents of this register (e.g. chung, mat).")
@include_secret_option
@click.option("--json", "as_json", is_flag=True, help="Print the documents as JSON.")
@click.pass_context
@reports_errors
def list_(ctx, year, kind, register, include_secret, as_json) -> None:
    """List issued documents in register order (year, register, number)."""
    from archive import list_documents
    from archive.records import STATUS_LABELS

    with open_archive(ctx) as archive:
        with archive.reading() as db:
            records = list_documents(db, year=year, kind=kind, register=register, store=archive.store,
                                     include_secret=include_secret)
    if as_json:
        emit_json({"count": len(records), "documents": [r.as_dict() for r in records]})
        return
    if not records:
        click.echo("No documents.", err=True)
        return
    width = max(len(r.number_symbol) for r in records)
    for r in records:
        subject = r.subject if len(r.subject) <= 60 else r.subject[:59] + "…"
        click.echo(f"{r.id:>5}  {r.number_symbol:<{width}}  {short_date(r.date)}  "
                   f"{r.register:<8} {STATUS_LABELS[r.status]:<17} {subject}")


@cli.command()
@click.argument("refs", nargs=-1, metavar="[ID|NUMBER_SYMBOL]...")
@click.option("--missing", is_flag=True, help="Every document whose PDF was asked for and is missing.")
@click.option("--year", type=YEAR, help="The year, when a number-symbol exists in several.")
@actor_option
@include_secret_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
@reports_errors
def pdf(ctx, refs, missing, year, actor, include_secret, as_json) -> None:
    """Make the missing PDF copy of documents (one LibreOffice start for all)."""
    from archive import ArchiveError, find_document, make_pdfs
    from archive.pdf_copies import missing_pdfs

    with open_archive(ctx) as archive:
        ids = [find_document(archive.db, ref, year=year, include_secret=include_secret) for ref in refs]
        if missing:
            ids += missing_pdfs(archive.db)
        if not refs and not missing:
            raise ArchiveError("name the documents (ID or number-symbol) or give --missing")
        made = make_pdfs(archive, ids, actor=actor)
    if as_json:
        emit_json({"made": made, "already_had": [i for i in dict.fromkeys(ids) if i not in made]})
    else:
        click.echo(f"Made {len(made)} PDF(s)" + (f": ids {', '.join(map(str, made))}" if made else
                                                 " (every document named already has one)"), err=True)


@cli.command()
@click.argument("ref", metavar="ID|NUMBER_SYMBOL")
@click.option("--form", required=True, type=click.Choice(["sao-y", "sao-luc", "trich-sao"]),
              help="Sao y (the whole original), sao lục (from a sao y copy), trích sao (some pages).")
@click.option("--pages", metavar="1-2", help="The pages a trích sao copies (e.g. 1-2 or 1,3).")
@click.option("--signer", metavar="KEY", help="Who signs the copy: a key of the agency file (default: its first).")
@click.option("--to", "recipients", multiple=True, metavar="RECIPIENT",
              help="A recipient (Nơi nhận) of the copy; repeat for several ('- Lưu: VT.' is added).")
@click.option("--date", type=DATE, help="Date of the copy, YYYY-MM-DD or dd/mm/yyyy (default: today).")
@click.option("-o", "--output", required=True, type=OUTPUT, help="The copy's PDF to write.")
@click.option("--year", type=YEAR, help="The year, when the number-symbol exists in several.")
@actor_option
@include_secret_option
@click.option("--json", "as_json", is_flag=True, help="Print the copy's record as JSON.")
@click.pass_context
@reports_errors
def copy(ctx, ref, form, pages, signer, recipients, date, output, year, actor, include_secret, as_json) -> None:
    """Make a lawful copy (bản sao) of an issued document: its pages, then the copy block
    (SAO Y / SAO LỤC / TRÍCH SAO, the copy's own number, date, signer, Nơi nhận), numbered in
    the copies' register and archived as a copy that points at its original.

    \b
    Example:
      docgen copy 05/QĐ-SGD&ĐT --form sao-y --signer pho_giam_doc --to "Phòng GDĐT Hòa An" -o sao-y.pdf
      docgen copy 12 --form trich-sao --pages 1-2 -o trich-sao.pdf
    """
    from archive import find_document
    from archive.copies import make_copy

    with open_archive(ctx) as archive:
        found = find_document(archive.db, ref, year=year, include_secret=include_secret)
        copied = make_copy(archive, found, form, pages=pages, signer=signer, recipients=list(recipients),
                           date=date, actor=actor)
        content = archive.store.read_verified(copied.record.files["pdf"].sha256)
    write_out(content, output)
    for warning in copied.warnings:
        click.echo(f"Warning: {warning}", err=True)
    record = copied.record
    if as_json:
        emit_json({**copied.as_dict(), "output": str(output)})
    else:
        click.echo(f"Copied {record.copy_of.number_symbol} as {record.number_symbol} (id {record.id}, "
                   f"{record.pages} page(s)) dated {short_date(record.date)}, register {record.register}; "
                   f"wrote {output}")


def supersede_command(relation: str):
    verb = "revoke" if relation == "revoked" else "replace"

    @click.argument("ref", metavar="ID|NUMBER_SYMBOL")
    @click.option("--by", "by_ref", required=True, metavar="ID|NUMBER_SYMBOL",
                  help=f"The newer document that does the {verb} (issue it first).")
    @click.option("--year", type=YEAR, help="The year of ID|NUMBER_SYMBOL, when it exists in several.")
    @actor_option
    @include_secret_option
    @click.option("--json", "as_json", is_flag=True, help="Print the updated record as JSON.")
    @click.pass_context
    @reports_errors
    def command(ctx, ref, by_ref, year, actor, include_secret, as_json) -> None:
        import archive as lib

        with open_archive(ctx) as archive:
            old = lib.find_document(archive.db, ref, year=year, include_secret=include_secret)
            new = lib.find_document(archive.db, by_ref, include_secret=include_secret)
            record = getattr(lib, verb)(archive, old, by=new, actor=actor)
        if as_json:
            emit_json(record.as_dict())
        else:
            click.echo(f"{record.number_symbol} is now {relation} by {record.superseded_by.number_symbol}", err=True)

    return command


cli.command(name="revoke", help="Record that document --by revokes (thu hồi) ID; nothing is deleted.")(
    supersede_command("revoked"))
cli.command(name="replace", help="Record that document --by replaces (thay thế) ID; nothing is deleted.")(
    supersede_command("replaced"))


@cli.group(name="register", cls=OrderedGroup)
def register_group() -> None:
    """The register of outgoing documents (sổ đăng ký văn bản đi)."""


@register_group.command(name="export")
@click.option("--year", type=YEAR, default=lambda: dt.date.today().year, show_default="this year",
              help="The year of the register (exit 1, nothing written, when it has no documents).")
@click.option("-o", "--output", required=True, type=OUTPUT,
              help="The file to write: .xlsx, or .docx / .pdf to print.")
@click.option("--docx", "fmt", flag_value="docx", help="Write an A4 landscape .docx.")
@click.option("--pdf", "fmt", flag_value="pdf", help="Write an A4 landscape PDF.")
@click.option("--register", metavar="NAME", help="Only this register (e.g. chung, HĐTĐKT, ban-sao); default: all.")
@click.option("--include-secret", is_flag=True,
              help="Also write the register of secret documents (MẬT, TỐI MẬT, TUYỆT MẬT).")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
@click.pass_context
@reports_errors
def register_export(ctx, year, output, fmt, register, include_secret, actor, as_json) -> None:
    """Write the register of YEAR: one sheet (or section) per register, in number order.

    The register of secret documents only with --include-secret.

    Example: docgen register export --year 2025 --register HĐTĐKT -o so-hoi-dong-2025.xlsx
    """
    from archive import export_register
    from archive.register_book import EmptyRegister

    with open_archive(ctx) as archive:
        try:
            written = export_register(archive, year, output, fmt=fmt, register=register, actor=actor,
                                      include_secret=include_secret)
        except EmptyRegister as exc:
            click.echo(f"Nothing written: {exc}", err=True)
            sys.exit(1)
    if as_json:
        emit_json(written)
    else:
        counts = ", ".join(f"{name}: {n}" for name, n in written["registers"].items())
        click.echo(f"Wrote {written['path']} ({written['documents']} documents of {year}; {counts})", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@reports_errors
def verify(ctx, as_json) -> None:
    """Re-hash every file and check every register; exit 1 if anything is wrong."""
    from archive import verify as verify_archive

    with open_archive(ctx) as archive:
        report = verify_archive(archive)
    if as_json:
        emit_json(report.as_dict())
    else:
        for problem in report.problems:
            click.echo(f"PROBLEM: {problem}")
        for warning in report.warnings:
            click.echo(f"warning: {warning}")
        if report.audit_head:
            click.echo(f"audit trail: {report.audit_head['row']} rows, last hash {report.audit_head['hash']}")
        click.echo(f"{report.documents} documents, {report.files} files ({report.bytes_hashed:,} bytes) checked "
                   f"in {report.seconds:.1f} s: {len(report.problems)} problem(s), {len(report.warnings)} warning(s)")
    if report.problems:
        sys.exit(1)


@cli.command()
@click.option("-o", "--output", required=True, type=OUTPUT,
              help="The backup to write (.tar.gz).")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
@reports_errors
def backup(ctx, output, actor, as_json) -> None:
    """Take a consistent copy of the archive while others keep issuing."""
    from archive import backup as backup_archive

    with open_archive(ctx) as archive:
        result = backup_archive(archive, output, actor=actor)
    if as_json:
        emit_json(result.as_dict())
    else:
        for problem in result.problems:
            click.echo(f"PROBLEM: {problem}", err=True)
        click.echo(f"Wrote {result.path}: {result.documents} documents, {result.files} files, "
                   f"{result.bytes:,} bytes", err=True)
    if result.problems:
        sys.exit(1)


@cli.command()
@click.argument("backup_file", metavar="FILE.tar.gz", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--home", "target", type=click.Path(file_okay=False, path_type=Path),
              help="The new home to restore into (default: the global --home).")
@click.option("--database", metavar="URL",
              help="Restore the records into this empty PostgreSQL database (server mode): postgresql://USER@HOST/DB, "
                   "no password in it.")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print the result and its verify report as JSON.")
@click.pass_context
@reports_errors
def restore(ctx, backup_file, target, database, actor, as_json) -> None:
    """Restore a backup into a new, empty home, then verify it; exit 1 if verify finds problems.

    A backup of either mode restores into either: with --database the home is a server home.

    Example: docgen restore backup.tar.gz --home /srv/docgen --database postgresql://docgen@db/docgen
    """
    from archive import restore as restore_archive

    archive, report = restore_archive(backup_file, target or ctx.obj["home"], actor=actor, database=database)
    with archive:
        home = str(archive.home)
    if as_json:
        emit_json({"home": home, "verify": report.as_dict()})
    else:
        for problem in report.problems:
            click.echo(f"PROBLEM: {problem}")
        click.echo(f"Restored {report.documents} documents into {home}: verify found "
                   f"{len(report.problems)} problem(s)", err=True)
    if report.problems:
        sys.exit(1)


@cli.command()
@click.option("--to", "url", required=True, metavar="URL",
              help="The empty PostgreSQL database: postgresql://USER@HOST/DB (the password in ~/.pgpass, never here).")
@click.option("--new-home", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The new home folder (missing or empty; on the file system the app nodes share).")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print the result and its verify report as JSON.")
@click.pass_context
@reports_errors
def migrate(ctx, url, new_home, actor, as_json) -> None:
    """Move the embedded home (--home) into server mode: its records into PostgreSQL, its files into a new home.

    The copy is checked (every table's rows, the audit chain, `verify`); on any failure nothing is
    left in the database or the folder. The embedded home is left as it was; stop issuing on it first.

    Example: docgen --home docgen-data migrate --to postgresql://docgen@db.internal/docgen --new-home /srv/docgen
    """
    from archive.migrate import migrate_home

    with open_archive(ctx) as archive:
        migrated, report = migrate_home(archive, url, new_home, actor=actor)
    migrated.close()
    if as_json:
        emit_json(report.as_dict())
    else:
        click.echo(f"Moved {report.rows.get('documents', 0)} documents, {report.rows.get('audit', 0)} audit rows and "
                   f"{report.files} files into {report.database} and {report.home}: verify found no problem", err=True)
        click.echo(f"Use it with: docgen --home {report.home} ...", err=True)



# -- Search: the index, searching, importing documents issued elsewhere (index/, issue 4) -----


# Pending changes from which catching up shows a progress bar.
CATCH_UP_BAR = 50


@cli.command()
@click.argument("query", metavar="QUERY")
@click.option("--kind", help="Only documents of this kind (e.g. quyet_dinh_khen_thuong, cong_van).")
@click.option("--year", type=YEAR, help="Only documents dated in this year.")
@click.option("--from", "date_from", type=DATE, help="Only documents dated on or after DATE.")
@click.option("--to", "date_to", type=DATE, help="Only documents dated on or before DATE.")
@click.option("--signer", help="Only documents signed by this person (marks optional).")
@click.option("--unit", help="Only documents of this drafting unit (e.g. VP).")
@click.option("--status", type=click.Choice(["issued", "revoked", "replaced", "imported"]),
              help="Only documents with this status.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="Best match first, or newest first.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most N hits.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Skip the first N hits (the next page: --offset 20).")
@click.option("--include-secret", is_flag=True, help="Include documents marked MẬT, TỐI MẬT or TUYỆT MẬT.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON list.")
@click.pass_context
@reports_errors
def search(ctx, query, kind, year, date_from, date_to, signer, unit, status, sort, limit, offset, include_secret,
           as_json) -> None:
    """Find documents by words (marks optional), "quoted phrases", number-symbol or date.

    The index first applies the archive's changes since the last search (a progress bar
    when there are many, e.g. after a restore).
    """
    from index import Filters, search_archive
    from index.terminal import progress_bar

    filters = Filters(kind=kind, year=year, date_from=date_from, date_to=date_to, signer=signer, unit=unit,
                      status=status)
    with open_archive(ctx) as archive, progress_bar("Updating the index", from_total=CATCH_UP_BAR) as progress:
        results = search_archive(archive, query, filters=filters, sort=sort, limit=limit, offset=offset,
                                 include_secret=include_secret, progress=progress)
    if as_json:
        for notice in results.notices:
            click.echo(f"Note: {notice}", err=True)
        emit_json([hit.as_dict() for hit in results.hits])
        return
    from rich.console import Console

    from index.terminal import print_results

    console = Console(highlight=False)
    print_results(results, console if console.is_terminal else Console(highlight=False, width=160))


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--set", "settings", multiple=True, metavar="FIELD=VALUE",
              help="Set a field for every file (e.g. --set kind=cong_van --set date=2017-09-18).")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print what was imported and skipped as JSON.")
@click.pass_context
@reports_errors
def import_(ctx, files, settings, actor, as_json) -> None:
    """Import documents issued elsewhere (.docx, .pdf, .doc, .txt, and scans: .pdf without a text layer,
    .png, .jpg, .tif, read by OCR in Vietnamese): stored unchanged, status imported.

    Example: docgen import old/*.docx scans/cong-van-1140.pdf --set kind=cong_van
    """
    from index import import_files, parse_overrides
    from index.importer import index_imported
    from index.terminal import progress_bar

    overrides = parse_overrides(settings)
    with open_archive(ctx) as archive:
        with progress_bar("Importing") as progress:
            report = import_files(archive, list(files), overrides=overrides, actor=actor, progress=progress)
        if report.imported:  # searchable at once, rather than at the next search
            with progress_bar("Indexing", from_total=CATCH_UP_BAR) as progress:
                index_imported(archive, report, progress=progress)
    for skipped in report.skipped:
        click.echo(f"Skipped {skipped['file']}: {skipped['reason']}", err=True)
    for warning in report.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        emit_json(report.as_dict())
    else:
        for item in report.imported:
            date = short_date(item["date"])
            scanned = f" (read by OCR, {item['ocr_pages']} page(s))" if item["ocr_pages"] else ""
            click.echo(f"Imported {item['file']}{scanned} as {item['id']}: {item['number_symbol'] or 'no number'}, "
                       f"{item['kind'] or 'kind unknown'}, {date or 'no date'}: {item['subject'] or 'no subject'}")
            if item["missing"]:
                click.echo(f"  not found in the text: {', '.join(item['missing'])} "
                           "(give them with --set FIELD=VALUE)")
            for signature in item.get("signatures", []):
                click.echo(f"  signed by {signature['signer']}"
                           + (f" ({signature['organisation']})" if signature["organisation"] else "")
                           + f" on {signature['signed_at']}: "
                           + ("intact, trusted, covers the document" if signature["ok"]
                              else "; ".join(signature["problems"])))
    if report.skipped:
        sys.exit(1)


@cli.group(name="index", cls=OrderedGroup)
def index_group() -> None:
    """The search index (DOCGEN_INDEX, else HOME/index/): it follows the archive's change log; update, rebuild, check it.

    Each app node of a home in server mode keeps its own: DOCGEN_INDEX=/var/lib/docgen/index docgen serve
    """


@index_group.command(name="update")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
@reports_errors
def index_update(ctx, as_json) -> None:
    """Apply the archive's changes the index has not applied yet (any search does it too).

    Example, after a restore of a large archive: docgen --home restored index update
    """
    from index import catch_up
    from index.terminal import progress_bar

    with open_archive(ctx) as archive, progress_bar("Indexing") as progress:
        state = catch_up(archive, wait=True, progress=progress)
    if as_json:
        emit_json({"applied": state.applied, "position": state.position})
    else:
        click.echo(f"Applied {state.applied} change(s); the index is at change {state.position} of the "
                   "archive's log", err=True)


@index_group.command(name="rebuild")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
@reports_errors
def index_rebuild(ctx, as_json) -> None:
    """Recreate the whole search index from the archive's documents, starting from zero."""
    import time

    from index import index_folder, rebuild
    from index.terminal import progress_bar

    started = time.perf_counter()
    with open_archive(ctx) as archive, progress_bar("Indexing") as progress:
        count = rebuild(archive, progress=progress)
        folder = str(index_folder(archive.home))
    seconds = time.perf_counter() - started
    if as_json:
        emit_json({"indexed": count, "index": folder, "seconds": round(seconds, 2)})
    else:
        click.echo(f"Indexed {count} document(s) into {folder} in {seconds:.1f} s", err=True)


@index_group.command(name="check")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@reports_errors
def index_check(ctx, as_json) -> None:
    """Compare the index with the archive's change log and documents; exit 1 if an entry is wrong.

    Changes not applied yet are reported as pending (the next search applies them); an
    entry that differs from the archive with no pending change to explain it is a problem.
    """
    from index import check

    with open_archive(ctx) as archive:
        report = check(archive)
    if as_json:
        emit_json(report.as_dict())
    else:
        for label, keys in (("missing from the index", report.missing), ("indexed out of date", report.stale),
                            ("indexed but not in the archive", report.orphaned)):
            if keys:
                click.echo(f"PROBLEM: {len(keys)} document(s) {label}: {', '.join(keys)}")
        if report.pending:
            click.echo(f"{report.pending} change(s) pending: the index has applied the archive's log up to change "
                       f"{report.applied} of {report.log_end} (the next search or `docgen index update` applies "
                       "them)")
        click.echo(f"{report.documents} document(s) in the archive, {report.indexed} indexed: "
                   + ("run `docgen index rebuild`" if not report.ok else
                      "the index is up to date" if not report.pending else "no entry is wrong"))
    if not report.ok:
        sys.exit(1)



# -- Nomination dossiers (docgen/dossier/, issue 5) ---------------------------------------------


@cli.group(name="dossier", cls=OrderedGroup)
def dossier_group() -> None:
    """Nomination dossiers (hồ sơ đề nghị khen thưởng) from the units' spreadsheets."""


@dossier_group.command(name="build")
@click.option("--campaign", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Campaign file (YAML): movement, award, council meeting, signers.")
@click.option("--nominees", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The nominee list as the units sent it (.xlsx or .csv).")
@click.option("-o", "--output", required=True, type=OUTPUT,
              help="The dossier ZIP to write.")
@click.option("--rules", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The office's rules file (default: the shipped docgen/dossier/rules/default.yaml).")
@click.option("--strict", is_flag=True, help="Any rejected nominee fails the build (exit 1, no ZIP).")
@click.option("--issue", "issue_numbers", is_flag=True,
              help="Number the submission and the minutes through the archive's registers (--home).")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@reports_errors
def dossier_build(ctx, campaign, nominees, output, rules, strict, issue_numbers, actor, as_json) -> None:
    """Check the nominee list against the rules and build the dossier ZIP.

    The ZIP holds the Tờ trình with its list, the council minutes, one Báo cáo thành tích
    per accepted nominee and the checklist, each as .docx and PDF, one merged PDF with a
    bookmark per document, and manifest.json. Exit 1 when nobody is eligible or, with
    --strict, when anyone is rejected; exit 2 when an input is wrong (nothing is written).
    """
    from rich.console import Console

    from docgen.dossier import build_dossier, load_campaign
    from docgen.dossier.terminal import print_report

    status = Console(stderr=True)
    loaded = load_campaign(campaign)

    def run(issuer=None):
        if not status.is_terminal:
            return build_dossier(loaded, nominees, output, strict=strict, rules=rules, issue=issuer)
        with status.status("Đang lập hồ sơ...") as spinner:
            return build_dossier(loaded, nominees, output, strict=strict, rules=rules, issue=issuer,
                                 progress=lambda message: spinner.update(message))

    if issue_numbers:
        from archive.dossiers import DossierIssuer

        with open_archive(ctx) as archive:
            issuer = DossierIssuer(archive, loaded.agency, actor=actor)
            report = run(issuer)
        for warning in issuer.warnings:
            click.echo(f"Warning: {warning}", err=True)
    else:
        report = run()
    if as_json:
        emit_json(report.as_json())
    else:
        console = Console(highlight=False)
        print_report(report, console if console.is_terminal else Console(highlight=False, width=160))
    if not report.ok:
        sys.exit(1)

# -- Electronic issuing: keys, signing, checking signatures (archive/keys.py, archive/signing.py) --


def password_prompt():
    """Asks for a key's password on the terminal; nobody to ask without one."""
    if not sys.stdin.isatty():
        return None
    return lambda label: click.prompt(label, hide_input=True, default="", show_default=False)


@cli.group(name="keys", cls=OrderedGroup)
def keys_group() -> None:
    """The home's signing keys (PKCS#12) and the roots it trusts."""


@keys_group.command(name="set")
@click.argument("name", metavar="agency|SIGNER_KEY")
@click.option("--pkcs12", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The key and certificate (.p12 / .pfx).")
@click.option("--password-file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A file holding the password (read each time a document is signed).")
@click.option("--password-env", metavar="VAR", help="An environment variable holding the password.")
@click.option("--seal-image", "--signature-image", "image", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The agency's seal or the signer's signature, PNG.")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="Print the key's certificate as JSON.")
@click.pass_context
@reports_errors
def keys_set(ctx, name, pkcs12, password_file, password_env, image, actor, as_json) -> None:
    """Keep a signing key in the home (0600) after checking it can sign now.

    NAME is `agency` or a signer's key in the agency file. Without --password-file or
    --password-env the password is asked for now and each time the key signs.

    \b
    Example:
      docgen keys set agency --pkcs12 so-gddt.p12 --password-file ~/.config/so-gddt.pass --seal-image dau.png
      docgen keys set giam_doc --pkcs12 giam-doc.p12 --password-env GIAM_DOC_PASS
    """
    from archive.keys import set_key

    with open_archive(ctx) as archive:
        info = set_key(archive, name, pkcs12, password_file=password_file, password_env=password_env,
                       prompt=password_prompt(), image=image, actor=actor)
    if as_json:
        emit_json(info.as_dict())
    else:
        click.echo(f"Key {info.name}: {info.subject}, issued by {info.issuer}, valid until {info.not_after[:10]}",
                   err=True)


@keys_group.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the keys as JSON.")
@click.pass_context
@reports_errors
def keys_list(ctx, as_json) -> None:
    """Show each key's certificate: subject, issuer, validity."""
    from archive.keys import list_keys

    with open_archive(ctx) as archive:
        found = list_keys(archive)
    if as_json:
        emit_json({"keys": [k.as_dict() for k in found]})
        return
    if not found:
        click.echo("No keys: add one with `docgen keys set`.", err=True)
    for k in found:
        source = next(iter(k.password))
        click.echo(f"{k.name}: {k.subject}" + (f" ({k.organisation})" if k.organisation else "")
                   + f"\n  issuer: {k.issuer}\n  valid: {k.not_before[:10]} to {k.not_after[:10]}"
                   + f"\n  password: {source}" + (f" {k.password[source]}" if k.password[source] else ""))


@keys_group.command(name="remove")
@click.argument("name", metavar="NAME")
@actor_option
@click.pass_context
@reports_errors
def keys_remove(ctx, name, actor) -> None:
    """Remove a key from the home. Example: docgen keys remove pho_giam_doc"""
    from archive.keys import remove_key

    with open_archive(ctx) as archive:
        remove_key(archive, name, actor=actor)
    click.echo(f"Removed key {name}", err=True)


@keys_group.command(name="trust")
@click.argument("certificate", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@actor_option
@click.pass_context
@reports_errors
def keys_trust(ctx, certificate, actor) -> None:
    """Trust a root certificate (PEM or DER) for keys, `verify` and `verify-pdf`.

    Example: docgen keys trust root-ca.pem
    """
    from archive.keys import trust_root

    with open_archive(ctx) as archive:
        subject = trust_root(archive, certificate, actor=actor)
    click.echo(f"Trusted {subject}", err=True)


@cli.command()
@click.argument("ref", metavar="ID|NUMBER_SYMBOL")
@click.option("--year", type=YEAR, help="The year, when the number-symbol exists in several.")
@actor_option
@include_secret_option
@click.option("--json", "as_json", is_flag=True, help="Print the signed document as JSON.")
@click.pass_context
@reports_errors
def sign(ctx, ref, year, actor, include_secret, as_json) -> None:
    """Sign an issued document's PDF: the signer, then the agency (PAdES).

    Example: docgen sign 05/QĐ-SGD&ĐT
    """
    from archive import find_document
    from archive.signing import sign_document, signatories_for

    with open_archive(ctx) as archive:
        found = find_document(archive.db, ref, year=year, include_secret=include_secret)
        signed = sign_document(archive, found, signatories_for(archive, found, prompt=password_prompt()), actor=actor)
    for warning in signed.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        emit_json(signed.as_dict())
    else:
        record = signed.record
        click.echo(f"Signed {record.number_symbol} (id {record.id}): {record.files['signed'].path}")


@cli.command(name="verify-pdf")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--trust", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="A trusted root certificate (PEM or DER); repeatable. The home's roots are trusted too.")
@click.option("--json", "as_json", is_flag=True, help="Print every signature as JSON.")
@click.pass_context
@reports_errors
def verify_pdf(ctx, files, trust, as_json) -> None:
    """Check every signature of PDFs, ours or received; exit 1 if any is broken, untrusted or
    does not cover its document, or a PDF has none.

    \b
    Example:
      docgen verify-pdf qd-signed.pdf --trust root-ca.pem
    """
    from docgen.signing import check_pdfs, read_trust_root

    roots = [read_trust_root(path) for path in trust]
    home = ctx.obj["home"]
    from archive.home import database_url

    if (Path(home) / "archive.sqlite").is_file() or database_url(Path(home)):
        from archive.keys import trust_roots

        with open_archive(ctx) as archive:
            roots += trust_roots(archive)
    results = check_pdfs(files, roots)
    if as_json:
        emit_json({"ok": all(r["ok"] for r in results), "files": results})
    else:
        for result in results:
            click.echo(f"{result['file']}: " + ("OK" if result["ok"] else "NOT OK"))
            for problem in result["problems"]:
                click.echo(f"  PROBLEM: {problem}")
            for f in result["signatures"]:
                click.echo(f"  {f['field']}: {f['signer']}" + (f" ({f['organisation']})" if f["organisation"] else "")
                           + f", signed {f['signed_at']}" + (f", timestamp {f['timestamp']}" if f["timestamp"] else "")
                           + f"; intact: {'yes' if f['intact'] else 'NO'}, trusted: {'yes' if f['trusted'] else 'NO'}"
                           + f", covers the document: {'yes' if f['covers_document'] else 'NO'}"
                           + (f" ({f['added_after']} added after it)" if f["added_after"] else ""))
                for problem in f["problems"]:
                    click.echo(f"    PROBLEM: {problem}")
    if not all(r["ok"] for r in results):
        sys.exit(1)


# -- The web service: users, tokens, serving (archive/users.py, web/, issue 11) -------------------


ROLE = click.Choice(["admin", "clerk", "drafter", "reader"])


def read_password(from_stdin: bool, prompt: str = "Password") -> str:
    """A password from one line of stdin (scripts), or typed twice at a prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


@cli.group(name="user", cls=OrderedGroup)
def user_group() -> None:
    """Users of the web service (`docgen serve`) and their roles: reader, drafter, clerk, admin."""


@user_group.command(name="add")
@click.argument("name")
@click.option("--role", type=ROLE, required=True,
              help="reader: search, view; drafter: + drafts, check; clerk: + issue, revoke, import; admin: + users.")
@click.option("--secret", is_flag=True, help="May see documents marked MẬT, TỐI MẬT or TUYỆT MẬT.")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin instead of a prompt.")
@click.option("--no-password", is_flag=True, help="No password: the user signs in with API tokens only.")
@actor_option
@click.pass_context
@reports_errors
def user_add(ctx, name, role, secret, password_stdin, no_password, actor) -> None:
    """Add a user NAME with a role.

    Example: echo 'mật khẩu dài' | docgen user add lan --role clerk --password-stdin
    """
    from archive.users import add_user

    password = None if no_password else read_password(password_stdin)
    with open_archive(ctx) as archive:
        user = add_user(archive, name, role, secret=secret, password=password, actor=actor)
    click.echo(f"Added user {user.name} ({user.role}{', secret documents' if user.secret else ''})", err=True)


@user_group.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the users as JSON.")
@click.pass_context
@reports_errors
def user_list(ctx, as_json) -> None:
    """List the users, their roles and tokens in force."""
    from archive.users import list_users

    with open_archive(ctx) as archive:
        users = list_users(archive.db)
    if as_json:
        emit_json([u.as_dict() for u in users])
        return
    for u in users:
        click.echo(f"{u.name:<20} {u.role:<8} {'secret' if u.secret else '':<7} {u.tokens} token(s)")


@user_group.command(name="remove")
@click.argument("name")
@actor_option
@click.pass_context
@reports_errors
def user_remove(ctx, name, actor) -> None:
    """Remove user NAME and its tokens (the audit trail keeps what it did)."""
    from archive.users import remove_user

    with open_archive(ctx) as archive:
        remove_user(archive, name, actor=actor)
    click.echo(f"Removed user {name}", err=True)


@user_group.command(name="passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin instead of a prompt.")
@actor_option
@click.pass_context
@reports_errors
def user_passwd(ctx, name, password_stdin, actor) -> None:
    """Set the password of user NAME."""
    from archive.users import set_password

    password = read_password(password_stdin, "New password")
    with open_archive(ctx) as archive:
        set_password(archive, name, password, actor=actor)
    click.echo(f"Changed the password of {name}", err=True)


@cli.group(name="token", cls=OrderedGroup)
def token_group() -> None:
    """API tokens (Authorization: Bearer TOKEN) of the web service's users."""


@token_group.command(name="create")
@click.argument("name")
@actor_option
@click.option("--json", "as_json", is_flag=True, help='Print {"token": ..., "id": ...}.')
@click.pass_context
@reports_errors
def token_create(ctx, name, actor, as_json) -> None:
    """Print a new API token for user NAME (only its hash is kept: copy it now).

    Example: curl -H "Authorization: Bearer $(docgen token create lan)" http://127.0.0.1:8000/api/search?q=ke+hoach
    """
    from archive.users import create_token

    with open_archive(ctx) as archive:
        token_id, token = create_token(archive, name, actor=actor)
    if as_json:
        emit_json({"token": token, "id": token_id, "user": name})
    else:
        click.echo(token)


@token_group.command(name="revoke")
@click.argument("name")
@click.option("--id", "token_id", type=click.IntRange(min=1), help="Only this token (default: all of NAME's).")
@actor_option
@click.pass_context
@reports_errors
def token_revoke(ctx, name, token_id, actor) -> None:
    """Revoke the API tokens of user NAME."""
    from archive.users import revoke_tokens

    with open_archive(ctx) as archive:
        ids = revoke_tokens(archive, name, token_id=token_id, actor=actor)
    click.echo(f"Revoked {len(ids)} token(s) of {name}", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--warm-pdf/--no-warm-pdf", default=True, show_default=True,
              help="Keep one LibreOffice running for PDFs (a PDF then costs no LibreOffice start).")
@click.option("--forwarded-allow-ips", "proxies", default="127.0.0.1", show_default=True, metavar="IPS",
              help="Comma-separated addresses of the reverse proxies or load balancers whose X-Forwarded-For and "
                   "X-Forwarded-Proto are believed (the client's address limits login attempts).")
@click.pass_context
@reports_errors
def serve(ctx, host, port, workers, warm_pdf, proxies) -> None:
    """Serve the home's search, documents and issuing in a browser and as an HTTP API.

    Users sign in with the accounts of `docgen user add`; the API takes `Authorization:
    Bearer TOKEN` (`docgen token create`). Behind a reverse proxy with TLS, see README.

    Example: docgen --home docgen-data serve --port 8000
    Behind a load balancer at 10.0.0.5: docgen serve --host 0.0.0.0 --forwarded-allow-ips 10.0.0.5
    """
    import os
    import signal
    from contextlib import ExitStack

    import uvicorn

    from docgen.converter import ENVIRONMENT, WarmConverter
    from docgen.errors import ConversionError
    from web.app import prepare_home

    def terminated(signum, frame):
        raise SystemExit(0)

    prepare_home(ctx.obj["home"])
    os.environ["DOCGEN_HOME"] = str(Path(ctx.obj["home"]).absolute())
    # uvicorn stops on SIGTERM, then raises it again: it must end the process through the `with`
    # below (which stops the warm converter), not by the default action.
    signal.signal(signal.SIGTERM, terminated)
    with ExitStack() as stack:
        if warm_pdf:
            try:
                os.environ[ENVIRONMENT] = stack.enter_context(WarmConverter(ctx.obj["home"])).socket
            except ConversionError as exc:
                click.echo(f"Warning: {exc}; each PDF starts LibreOffice", err=True)
        click.echo(f"Serving {ctx.obj['home']} at http://{host}:{port}/ (Ctrl-C stops)", err=True)
        uvicorn.run("web.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", proxy_headers=True, forwarded_allow_ips=proxies, server_header=False)

if __name__ == "__main__":
    cli()
