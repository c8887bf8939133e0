"""How big an input may be: every bound in one table, each refused with a message naming the
file (exit 2) before anything is numbered, stored or indexed.

Input (data files, agency and config files, nominee sheets, search queries):

| what                                   | limit        | why this value                                                 |
|----------------------------------------|--------------|----------------------------------------------------------------|
| a YAML/JSON file (data, agency, config,| 5 MB         | the 1,000-name award decision is 0.11 MB; 40x that is still a  |
| campaign, rules)                       |              | file a person wrote, and it loads in well under a second       |
| one text field                         | 200,000 char | about 60 pages of body text; the longest example body (the    |
|                                        |              | công văn) is 13,000 characters                                 |
| one list (nominees, recipients, ...)   | 10,000 items | ten times the benchmark's 1,000-name award decision            |
| values after YAML aliases are expanded | 200,000      | 10,000 nominees of 8 fields fit twice; a 348-byte alias bomb   |
|                                        |              | names 387 million values: refused while it is                  |
|                                        |              | counted, before anything walks the expanded tree               |
| text after YAML aliases are expanded   | 20 M char    | four times the file limit: aliases may repeat text, not explode|
| nesting depth of a data file           | 32           | our deepest real file (rules) nests 6 levels                   |
| a nominee sheet (.xlsx/.csv)           | 10 MB        | the example sheet is 8 kB for 22 rows: 2,000 rows stay under  |
|                                        |              | 1 MB                                                           |
| rows of a nominee sheet (all sheets)   | 20,000       | twice the list limit, for title rows, section rows and blanks  |
| one cell of a nominee sheet            | 32,767 char  | Excel's own limit for a cell; a longer cell came from no Excel |
| a search query                         | 1,000 char   | three long subject lines pasted in; a 5.5 kB query             |
|                                        |              | exhausted Python's recursion while the query was built         |

Imported documents (`docgen import`, index/extract.py):

| what                                      | limit     | why this value                                               |
|-------------------------------------------|-----------|--------------------------------------------------------------|
| an imported file (.docx, .pdf, .doc, .txt)| 100 MB    | a 300-page scanned PDF is about 60 MB; text files are far less|
| one part of a .docx read for its text     | 64 MB     | the 1,000-name decision's document.xml is 1.4 MB; a 1,000-page|
| (word/document.xml, word/styles.xml)      | unpacked  | text about 30 MB                                             |
| how much a part of a .docx may inflate    | 100 times | Word's XML packs 5 to 40 times; a zip bomb 1,000 times and   |
| (for parts over 1 MB unpacked)            |           | more: refused before a byte of it is unpacked                |

Uploads to the web service (web/, per request; the body is refused before it is read when larger):

| what                                      | limit     | why this value                                               |
|-------------------------------------------|-----------|--------------------------------------------------------------|
| files of one import                       | 100       | a clerk's folder of a month's incoming scans                 |
| bytes of one import, all files            | 100 MB    | the largest single imported file; more goes in several runs  |

PDF streams are bounded by pypdf's own limits (75 MB unpacked per stream, a parsing budget per
content stream); a PDF over them is skipped with its reason like any unreadable file.
"""

from __future__ import annotations

MB = 1024 * 1024

# -- Data files: YAML and JSON (docgen.datafile) -------------------------------------------------
DATA_FILE_BYTES = 5 * MB
DATA_FIELD_CHARS = 200_000
DATA_LIST_ITEMS = 10_000
DATA_VALUES = 200_000
DATA_TEXT_CHARS = 20_000_000
DATA_DEPTH = 32

# -- Nominee sheets (docgen.dossier.grid) --------------------------------------------------------
SHEET_FILE_BYTES = 10 * MB
SHEET_ROWS = 20_000
SHEET_CELL_CHARS = 32_767

# -- Search queries (index.query) ----------------------------------------------------------------
QUERY_CHARS = 1_000

# -- Imported documents (index.extract) ----------------------------------------------------------
IMPORT_FILE_MAX_BYTES = 100 * MB
IMPORT_PART_MAX_BYTES = 64 * MB
IMPORT_PART_MAX_RATIO = 100
IMPORT_PART_RATIO_FROM_BYTES = 1 * MB

# -- Uploads to the web service (web/) ----------------------------------------------------------
WEB_IMPORT_FILES = 100
WEB_IMPORT_BYTES = 100 * MB



def zip_part_refusal(info) -> str | None:
    """Why one part of a .docx package (a zipfile.ZipInfo) is not unpacked, or None: too big unpacked,
    or inflating like a zip bomb. (zipfile never gives more than the size the package declares, so
    checking that is enough.)"""
    if info.file_size > IMPORT_PART_MAX_BYTES:
        return (f"{info.filename} unpacks to {info.file_size / MB:.0f} MB, more than the "
                f"{IMPORT_PART_MAX_BYTES // MB} MB a part of a document may have")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > IMPORT_PART_RATIO_FROM_BYTES and ratio > IMPORT_PART_MAX_RATIO:
        return (f"{info.filename} would inflate {ratio:.0f} times, from {info.compress_size / 1024:.0f} kB "
                f"to {info.file_size / MB:.0f} MB (a document packs at most about {IMPORT_PART_MAX_RATIO} times): "
                "not read")
    return None


# -- Templates (docgen.sandbox) ------------------------------------------------------------------
# The 1,000-name award decision renders in 0.25 s and 55 MB; an office's template runs in a child
# process the kernel stops past these. Widths and repetitions are checked before they are built.
TEMPLATE_CPU_SECONDS = 10
TEMPLATE_MEMORY_MAX_BYTES = 1024 * MB
TEMPLATE_VALUE_MAX_CHARS = 1_000_000
TEMPLATE_MAX_ITEMS = 10_000
TEMPLATE_FORMAT_MAX_WIDTH = 1_000

# -- Signing keys and signed PDFs (archive.keys, docgen.signing) ---------------------------------
# A PKCS#12 file holds a key and a few certificates; a signature or seal image is a small PNG.
KEY_FILE_BYTES = 1 * MB
SIGN_IMAGE_BYTES = 4 * MB
PASSWORD_FILE_BYTES = 4096
VERIFY_PDF_BYTES = 100 * MB


def size_text(size: int) -> str:
    """A byte count as a clerk reads it: `5 MB`, `312 kB`."""
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(size / 1024))} kB"
