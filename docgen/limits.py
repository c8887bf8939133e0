"""How big an input may be: every bound in one place, each refused with a message naming the file.

Imported documents (`docgen import`, index/extract.py):

| what                                      | limit     | why this value                                               |
|-------------------------------------------|-----------|--------------------------------------------------------------|
| an imported file (.docx, .pdf, .doc, .txt)| 100 MB    | a 300-page scanned PDF is about 60 MB; text files are far less|
| one part of a .docx read for its text     | 64 MB     | the 1,000-name decision's document.xml is 1.4 MB; a 1,000-page|
| (word/document.xml, word/styles.xml)      | unpacked  | text about 30 MB                                             |
| how much a part of a .docx may inflate    | 100 times | Word's XML packs 5 to 40 times; a zip bomb 1,000 times and   |
| (for parts over 1 MB unpacked)            |           | more: refused before a byte of it is unpacked                |

PDF streams are bounded by pypdf's own limits (75 MB unpacked per stream, a parsing budget per
content stream); a PDF over them is skipped with its reason like any unreadable file.
"""

from __future__ import annotations

MB = 1024 * 1024

# -- Imported documents (index.extract) ----------------------------------------------------------

IMPORT_FILE_MAX_BYTES = 100 * MB
IMPORT_PART_MAX_BYTES = 64 * MB
IMPORT_PART_MAX_RATIO = 100
IMPORT_PART_RATIO_FROM_BYTES = 1 * MB

# -- Templates (docgen.sandbox) ------------------------------------------------------------------
# The 1,000-name award decision renders in 0.25 s and 55 MB; an office's template runs in a child
# process the kernel stops past these. Widths and repetitions are checked before they are built.

TEMPLATE_CPU_SECONDS = 10
TEMPLATE_MEMORY_MAX_BYTES = 1024 * MB
TEMPLATE_VALUE_MAX_CHARS = 1_000_000
TEMPLATE_MAX_ITEMS = 10_000
TEMPLATE_FORMAT_MAX_WIDTH = 1_000
