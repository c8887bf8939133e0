# make demo  - set everything up and run the main job (examples -> demo-out/)
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

# LibreOffice (PDF output) and Liberation fonts (a metric twin of Times New Roman).
# Installed with apt-get when running as root; otherwise say what is missing.
# With CI=true a missing LibreOffice fails the run instead of skipping PDF tests.
system:
	@if ! command -v soffice >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "Liberation Serif" || ! command -v pdftoppm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing LibreOffice, Liberation fonts and poppler-utils with apt-get..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      libreoffice-writer-nogui fonts-liberation2 poppler-utils >/dev/null; \
	  else \
	    echo "LibreOffice is missing: install libreoffice-writer-nogui, fonts-liberation2 and poppler-utils" >&2; \
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
