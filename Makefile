# make demo  - set everything up and run the main job (examples -> demo-out/), then serve the demo
#              home at http://127.0.0.1:8000 (DEMO_SERVE=0 make demo: do not serve)
# make test  - set everything up and run the test suite
# make bench - run the benchmarks (table on stdout, JSON in bench/results/)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench system templates clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# LibreOffice (PDF output), Liberation fonts (a metric twin of Times New Roman), poppler,
# Tesseract with its Vietnamese model (scanned documents read by OCR at import), and Chromium
# with its driver (the web pages are tested in a real browser), PostgreSQL (server mode), and
# LibreOffice's UNO bridge for the system Python (docgen serve keeps a LibreOffice running for PDFs:
# docgen/converter.py).
# Installed with apt-get when running as root; otherwise say what is missing.
# With CI=true anything missing fails the run instead of skipping the tests that need it.
system:
	@if ! command -v soffice >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "Liberation Serif" || ! command -v pdftoppm >/dev/null 2>&1 \
	    || ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie \
	    || ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 \
	    || { ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null 2>&1; } \
	    || ! /usr/bin/python3 -I -c "import uno" >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing LibreOffice, Liberation fonts, poppler-utils, Tesseract (Vietnamese), Chromium, PostgreSQL and python3-uno with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      libreoffice-writer-nogui fonts-liberation2 poppler-utils tesseract-ocr tesseract-ocr-vie \
	      chromium chromium-driver postgresql python3-uno >/dev/null; \
	  else \
	    echo "Missing: install libreoffice-writer-nogui, fonts-liberation2, poppler-utils, tesseract-ocr, tesseract-ocr-vie, chromium, chromium-driver, postgresql and python3-uno" >&2; \
	    if [ "$$CI" = true ]; then exit 1; fi; \
	  fi; \
	fi

demo: $(STAMP) system
	$(BIN)/python examples/demo.py

test: $(STAMP) system
	$(BIN)/python -m pytest

bench: $(STAMP) system
	$(BIN)/python -m bench

# Rebuild the .docx templates from templates_docx/build.py (they are committed).
templates: $(STAMP)
	$(BIN)/python templates_docx/build.py

clean:
	rm -rf $(VENV) demo-out build *.egg-info
