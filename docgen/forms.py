"""A kind's data model as a form to fill in (the web's Issue page, `GET /api/kinds/KIND/form`), and a
filled-in form back into the data a data file would hold.

    fields = form_fields("giay_moi", agency)       # [FormField, ...]: labels, help and examples in Vietnamese
    data = form_data("giay_moi", posted)           # posted: input name -> text, as a browser sends the form

An input is named by the field's path as the CLI's messages name it (`subject`, `bonus.collective`,
`nominees[2].name`), so a message about a field is shown beside its input. The signer, the drafting
unit and the council are chosen from the agency file; enumerations are choices; lists of people or
rows are repeated rows; lists of texts are typed one a line.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter
from pydantic.fields import FieldInfo

from . import limits
from .agency import Agency, Signer
from .datafile import OneOf, inner_model, problem_field
from .kinds import Kind, get_kind

# Set by the issue itself (the number) or by the home (the agency file): not in the form.
NOT_IN_FORM = ("agency", "number")

# The rules of the two markups, beside a text area that takes them (docgen/markup.py).
MARKUP_RULES = """Viết mỗi đoạn một dòng; không gõ số thứ tự, docgen tự đánh số:
  # Mục đích, yêu cầu    → I. MỤC ĐÍCH, YÊU CẦU
  ## Tiêu đề             → 1. Tiêu đề
  ### Ý                  → a) Ý (hoặc 1.1.)
  - một ý liệt kê;  + ý nhỏ hơn
  **chữ đậm**, *chữ nghiêng*, \\* là dấu sao thường
Xuống dòng là sang đoạn mới; dòng bắt đầu bằng chữ thường nối vào câu chưa dứt ở dòng trên.
Một dòng trống luôn kết thúc đoạn."""

ARTICLES_RULES = """Viết theo dòng; không gõ số Chương, Điều, khoản:
  # Quy định chung        → Chương I / QUY ĐỊNH CHUNG
  ## Phạm vi điều chỉnh   → Điều 1. Phạm vi điều chỉnh
  ## | Bổ nhiệm ông ...   → Điều 1. Bổ nhiệm ông ... (nhãn đậm, phần sau | giữ nguyên)
  ### ...                 → 1. ... (khoản, đánh lại trong mỗi điều)
  #### ...                → a) ... (điểm, đánh lại trong mỗi khoản)
  - ý liệt kê, + ý nhỏ hơn, **đậm**, *nghiêng* như văn bản thường.
Các Điều đánh số liên tục qua các Chương."""

# Each field description of the models (English, as `docgen kinds` prints it) in Vietnamese for the form.
HELP = {
    "'letter' for a), b); 'decimal' for 1.1., 1.2.": "Cách đánh số mục cấp 3: a), b) hoặc 1.1., 1.2.",
    "YYYY-MM-DD HH:MM": "Ngày và giờ: YYYY-MM-DD HH:MM hoặc dd/mm/yyyy HH:MM",
    "YYYY-MM-DD or dd/mm/yyyy": "Ngày: YYYY-MM-DD hoặc dd/mm/yyyy",
    "YYYY-MM-DD or dd/mm/yyyy; blank in a draft": "YYYY-MM-DD hoặc dd/mm/yyyy; để trống thì là ngày ban hành (hôm nay)",
    "a Quy chế or Quy định issued by Điều 1 (form 1.3)": "Quy chế hoặc Quy định ban hành kèm theo tại Điều 1 (mẫu 1.3)",
    "a list, or a text with one basis a line": "Mỗi căn cứ một dòng",
    "a telegram is always urgent (form 1.6)": "Công điện luôn có độ khẩn (mẫu 1.6)",
    "blank leaves room for the name by hand": "Để trống thì chừa chỗ ghi tên bằng tay",
    "code of a unit in the agency file": "Chọn đơn vị trong tệp cơ quan",
    "default 'VT, <drafting unit>'": "Mặc định: VT, <đơn vị soạn thảo>",
    "default 'phép năm <year of the first day>'": "Mặc định: phép năm <năm của ngày đầu tiên>",
    "default 'Ông (bà)' as the form prints it": "Để trống thì in “Ông (bà)” như mẫu",
    "how long, before the start time": "Bao lâu, ghi trước giờ bắt đầu (ví dụ: 01 buổi)",
    "key of a council in the agency file": "Chọn hội đồng trong tệp cơ quan",
    "key of a signer in the agency file, or name/title/authority": "Chọn người ký trong tệp cơ quan",
    "label -> value, printed in order ('Sinh ngày', 'Quê quán', 'Trình độ chuyên môn'; for a collective "
    "'Địa chỉ', 'Điện thoại', ...)": "Mỗi dòng “Nhãn: giá trị”, in theo thứ tự (Sinh ngày, Quê quán, Trình độ "
                                     "chuyên môn; với tập thể: Địa chỉ, Điện thoại, ...)",
    "line above the title: 'KT. GIÁM ĐỐC', 'TM. ỦY BAN NHÂN DÂN', 'TL. GIÁM ĐỐC'; empty when the head signs":
        "Dòng trên chức vụ: KT. GIÁM ĐỐC, TM. ỦY BAN NHÂN DÂN, TL. GIÁM ĐỐC; để trống khi người đứng đầu ký",
    "line under the subject; default the agency file's authority": "Dòng dưới trích yếu; mặc định theo tệp cơ quan",
    "line under the subject; default the agency file's authority (its head's title and name)":
        "Dòng dưới trích yếu; mặc định chức vụ người đứng đầu và tên cơ quan trong tệp cơ quan",
    "line under the subject; default the council's name": "Dòng dưới trích yếu; mặc định tên hội đồng",
    "markup": "Viết theo quy tắc trình bày bên cạnh",
    "markup (articles): # chapter, ## article, ### clause, #### point":
        "Viết theo quy tắc Chương, Điều bên cạnh: # chương, ## điều, ### khoản, #### điểm",
    "markup (articles): ## | text for each article; or a list, one article an item":
        "Mỗi Điều một dòng bắt đầu bằng “## | ”, theo quy tắc bên cạnh",
    "markup, or a list of paragraphs: the 'Thực hiện ...' paragraphs before the sections":
        "Các đoạn “Thực hiện ...” trước các mục, theo quy tắc trình bày bên cạnh",
    "markup: # section, ## subsection, ### point, - item, + sub-item":
        "Nội dung theo quy tắc bên cạnh: # mục, ## tiểu mục, ### ý, - ý liệt kê, + ý nhỏ",
    "markup: the movement's results and the council's decision": "Kết quả phong trào và quyết định của hội đồng, "
                                                                 "theo quy tắc bên cạnh",
    "markup: what to prepare, what to bring": "Những việc cần chuẩn bị, mang theo; theo quy tắc bên cạnh",
    "one a line, after '<SENDER> điện:'; '- ' and ';' are added": "Mỗi nơi một dòng, sau “... điện:”; "
                                                                   "docgen thêm “- ” và “;”",
    "one recipient a line; '- ' and ';' are added, and the 'Lưu' line last":
        "Mỗi nơi nhận một dòng; docgen thêm “- ”, “;” và dòng “Lưu” ở cuối",
    "position and unit": "Chức vụ và đơn vị công tác",
    "printed above the signature": "In phía trên chữ ký",
    "the date of the person's request, if any": "Ngày của đơn đề nghị (nếu có)",
    "the line above the unit in the header; default the agency's name": "Dòng trên tên đơn vị ở phần đầu; "
                                                                        "mặc định tên cơ quan",
    "the line under CÔNG ĐIỆN": "Dòng dưới chữ CÔNG ĐIỆN",
    "the line under GIẤY MỜI": "Dòng dưới chữ GIẤY MỜI",
    "the line under KẾ HOẠCH": "Dòng dưới chữ KẾ HOẠCH",
    "the line under the type name": "Dòng dưới tên loại văn bản",
    "the nominee's unit (or the collective itself), upper-cased in the header":
        "Đơn vị của người được đề nghị (hoặc chính tập thể), in hoa ở phần đầu",
    "what the letter is about; 'V/v ' is added; a line break may be typed": "Nội dung công văn; docgen thêm “V/v ”; "
                                                                            "có thể xuống dòng",
    "what the meeting was for; read after 'họp' in the opening sentence": "Cuộc họp để làm gì; đọc sau chữ “họp” "
                                                                          "ở câu mở đầu",
    "what they are invited to": "Dự việc gì",
    "who is invited, one a line": "Mời ai, mỗi nơi một dòng",
    "who sends it, before 'điện:'; default the head of the agency (agency file: authority)":
        "Ai điện, ghi trước chữ “điện:”; mặc định người đứng đầu cơ quan",
    "who to contact": "Liên hệ với ai",
    "working days granted; at most the period's length": "Số ngày làm việc được nghỉ; không quá độ dài thời gian nghỉ",
}
# A type name's description lists every type; the choices already do.
HELP_PREFIXES = {"a type name or its code": "Chọn tên loại văn bản (mã ký hiệu trong ngoặc)"}
CHOICE_LABELS = {"letter": "a), b), c)", "decimal": "1.1., 1.2., 1.3."}
# Fields every kind shares that a clerk rarely fills: shown after the kind's own.
LAST = ("date", "secrecy", "urgency", "circulation", "file_copy", "drafter", "copies")
# Text fields long enough for a text area.
LONG_TEXT = 80


@dataclass
class FormField:
    """One input of the form (or a group or repeated rows of them)."""

    name: str  # the key in the data
    label: str
    widget: str  # text, textarea, markup, articles, lines, pairs, date, datetime, time, integer, decimal,
    #              select, checkbox, group, rows; signer: a select, or the group of its fields left blank
    required: bool = False
    help: str = ""
    example: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)  # (value, label) of a select
    fields: list["FormField"] = field(default_factory=list)  # of a group or of each row
    # An enumeration's reading of what a data file may hold (`TB` for `Thông báo`, `khẩn` for `KHẨN`).
    read: Any = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "widget": self.widget, "required": self.required,
                "help": self.help, "example": self.example, "choices": [list(c) for c in self.choices],
                "fields": [f.as_dict() for f in self.fields]}

    def choice(self, value: Any) -> str:
        """The choice a value of a data file stands for (itself when it stands for none)."""
        if self.read is None or value in [v for v, _ in self.choices]:
            return shown(value)
        try:
            return shown(self.read(value))
        except ValueError:
            return shown(value)


def form_fields(kind: str | Kind, agency: Agency | None = None) -> list[FormField]:
    """The form of `kind`; with `agency`, the signer, drafting unit and council as its choices."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    return _fields(kind.model, agency, top=True)


def form_description(kind: str | Kind, agency: Agency | None = None) -> dict[str, Any]:
    """What `GET /api/kinds/KIND/form` answers: the kind, its fields, and the markup rules."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    fields = form_fields(kind, agency)
    widgets = {f.widget for f in walk(fields)}
    return {"kind": kind.name, "label": kind.label, "type_code": kind.type_code, "numbered": kind.numbered,
            "fields": [f.as_dict() for f in fields],
            "markup_rules": MARKUP_RULES if "markup" in widgets else None,
            "articles_rules": ARTICLES_RULES if "articles" in widgets else None}


def walk(fields: list[FormField]):
    for f in fields:
        yield f
        yield from walk(f.fields)


def _fields(model: type[BaseModel], agency: Agency | None, top: bool = False) -> list[FormField]:
    made = [_field(name, info, agency, top) for name, info in model.model_fields.items()
            if not (top and name in NOT_IN_FORM)]
    # What the document says first; the marks and the Lưu line's details after it.
    return sorted(made, key=lambda f: top and f.name in LAST) if top else made


def _field(name: str, info: FieldInfo, agency: Agency | None, top: bool) -> FormField:
    description = info.description or ""
    help_text = HELP.get(description) or next((text for prefix, text in HELP_PREFIXES.items()
                                               if description.startswith(prefix)), "")
    made = FormField(name, info.title or name, "text", info.is_required(), help_text, _example(info))
    annotation = _without_none(info.annotation)
    model = inner_model(annotation)
    choices = _agency_choices(name, agency) if top else None
    if choices is not None and name == "signer":  # a key of the agency file, or a signer written out
        made.widget, made.choices, made.example, made.fields = "signer", choices, "", _fields(Signer, agency)
    elif choices is not None:
        made.widget, made.choices, made.example = "select", choices, ""
    elif model is not None and typing.get_origin(annotation) is list:
        made.widget, made.fields, made.example = "rows", _fields(model, agency), ""
    elif model is not None:
        made.widget, made.fields, made.example = "group", _fields(model, agency), ""
    elif (values := _enumeration(annotation, info.metadata)) is not None:
        made.widget, made.choices = "select", values
        read = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        made.read = TypeAdapter(read).validate_python
    elif typing.get_origin(_bare(annotation)) is list:
        made.widget = "lines"
    elif typing.get_origin(_bare(annotation)) is dict:
        made.widget = "pairs"
    elif description.startswith("markup (articles)"):
        made.widget = "articles"
    elif description.startswith("markup"):
        made.widget = "markup"
    else:
        made.widget = _scalar(_bare(annotation), made.example)
    return made


def _agency_choices(name: str, agency: Agency | None) -> list[tuple[str, str]] | None:
    if name == "signer":
        signers = agency.signers if agency else {}
        return [(key, ", ".join(p for p in (s.name, s.authority, s.title) if p)) for key, s in signers.items()]
    if name == "drafting_unit":
        return [(code, f"{code}: {unit}") for code, unit in (agency.units if agency else {}).items()]
    if name == "council":
        return [(key, c.full_name or c.name) for key, c in (agency.councils if agency else {}).items()]
    return None


def _without_none(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _bare(annotation: Any) -> Any:
    """The type inside Annotated[...] (and Optional)."""
    annotation = _without_none(annotation)
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return _without_none(annotation)


def _enumeration(annotation: Any, metadata: list) -> list[tuple[str, str]] | None:
    """(value, label) of a Literal, labelled with the Vietnamese word an enumeration also accepts."""
    words: dict[str, str] = {}
    for meta in (*metadata, *getattr(annotation, "__metadata__", ())):
        if isinstance(getattr(meta, "func", None), OneOf):
            words = {value: word for word, value in meta.func.words}
    bare = _bare(annotation)
    if typing.get_origin(bare) is not typing.Literal:
        return None
    return [(str(v), words.get(v, CHOICE_LABELS.get(v, str(v)))) for v in typing.get_args(bare)]


def _scalar(annotation: Any, example: str) -> str:
    if annotation is dt.datetime:
        return "datetime"
    if annotation is dt.date:
        return "date"
    if annotation is dt.time:
        return "time"
    if annotation is bool:
        return "checkbox"
    if annotation is int:
        return "integer"
    if annotation is float:
        return "decimal"
    return "textarea" if len(example) > LONG_TEXT else "text"


def _example(info: FieldInfo) -> str:
    if not info.examples:
        return ""
    return shown(info.examples[0])


def shown(value: Any) -> str:
    """A value as typed in its input: a list one item a line, a mapping `label: value` a line."""
    if isinstance(value, list):
        return "\n".join(shown(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {shown(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


# -- a posted form into data ---------------------------------------------------------------


def form_data(kind: str | Kind, posted: Mapping[str, str]) -> dict[str, Any]:
    """The data a filled-in form holds: blank inputs left out (a default applies, or the field is
    reported missing), blank rows dropped, lists of texts split by line. Only the form's own
    inputs are read; anything else posted is ignored."""
    return _values(form_fields(kind), posted, "")


def _values(fields: list[FormField], posted: Mapping[str, str], prefix: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in fields:
        key = prefix + f.name
        if f.widget == "group" or (f.widget == "signer" and not str(posted.get(key, "")).strip()):
            if value := _values(f.fields, posted, key + "."):
                data[f.name] = value
        elif f.widget == "rows":
            rows = [_values(f.fields, posted, f"{key}[{n}].") for n in range(1, row_count(posted, key) + 1)]
            if rows := [row for row in rows if row]:
                data[f.name] = rows
        else:
            text = str(posted.get(key, "")).replace("\r\n", "\n").replace("\r", "\n").strip()
            if not text:
                continue
            if f.widget == "lines":
                data[f.name] = [line.strip() for line in text.split("\n") if line.strip()]
            elif f.widget == "pairs":
                data[f.name] = {label.strip(): value.strip() for label, _, value in
                                (line.partition(":") for line in text.split("\n") if line.strip())}
            elif f.widget == "checkbox":
                data[f.name] = True
            else:
                data[f.name] = text
    return data


def form_values(kind: str | Kind, data: Mapping[str, Any], more_rows: str = "",
                extra: int = 3) -> tuple[dict[str, str], dict[str, int]]:
    """Data (from a data file or a posted form) as the form's inputs show it: {input name: text}, and
    how many rows each repeated list shows (at least one; `extra` more for the list `more_rows`)."""
    values: dict[str, str] = {}
    counts: dict[str, int] = {}

    def fill(fields: list[FormField], data: Any, prefix: str) -> None:
        data = data if isinstance(data, Mapping) else {}
        for f in fields:
            key, value = prefix + f.name, data.get(f.name)
            if f.widget == "group" or (f.widget == "signer" and isinstance(value, Mapping)):
                fill(f.fields, value, key + ".")
            elif f.widget == "rows":
                rows = value if isinstance(value, list) else []
                counts[key] = max(len(rows), 1) + (extra if key == more_rows else 0)
                for n, row in enumerate(rows, 1):
                    fill(f.fields, row, f"{key}[{n}].")
            elif f.widget == "articles" and isinstance(value, list):  # one article an item
                values[key] = "\n\n".join(f"## | {item}" for item in value)
            elif f.widget == "markup" and isinstance(value, list):  # one paragraph an item
                values[key] = "\n\n".join(shown(item) for item in value)
            elif value is not None:
                values[key] = f.choice(value) if f.widget == "select" else shown(value)

    fill(form_fields(kind), data, "")
    return values, counts


def row_count(posted: Mapping[str, str], key: str) -> int:
    """How many rows of `key` were posted (`key[3].name` makes at least 3), at most a list's limit."""
    pattern = re.compile(re.escape(key) + r"\[(\d{1,6})\]\.")
    numbers = [int(m.group(1)) for name in posted if (m := pattern.match(name))]
    return min(max(numbers, default=0), limits.DATA_LIST_ITEMS)


def field_messages(problems: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """The CLI's messages by the input they are about, and those about no single input."""
    by_field: dict[str, list[str]] = {}
    others = []
    for problem in problems:
        name = problem_field(problem)
        if name:
            by_field.setdefault(name, []).append(problem)
        else:
            others.append(problem)
    return by_field, others
