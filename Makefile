# `make site` and `make test` are all a fresh machine needs (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test serve bench bench-search check goldens fuzz lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/tiantang build

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/tiantang check

serve: $(STAMP)
	$(BIN)/tiantang serve

bench: $(STAMP)
	$(BIN)/tiantang bench

# Search in Chromium: recall/precision per query class, first-query bytes, latency, index build
# time and size; ours against stock Material and Pagefind (stock, and fed our bigrams: the `bench`
# extra), on the sample and synthetic archives (size 0 is the sample); ~40 minutes.
SIZES    ?= 0,10,100,400
MATERIAL ?= 0,10,100
PAGEFIND ?= 0,10,100
bench-search: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/search_bench.py --sizes=$(SIZES) --material=$(MATERIAL) \
		--pagefind=$(PAGEFIND)

# Rewrite the golden files from the current parser; read the diff before committing.
goldens: $(STAMP)
	$(BIN)/python -m tests.goldens

fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_properties.py tests/test_fuzz.py

lint: $(STAMP)
	$(BIN)/ruff check generator tests && $(BIN)/ruff format --check generator tests

clean:
	rm -rf docs site .cache
