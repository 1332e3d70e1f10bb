# The two commands of the README. Each creates .venv when missing and installs what it needs:
# torch==2.13.0 first (the CPU build this machine has on disk), then torchup with its extras, so
# the torch requirement is already satisfied and nothing large is downloaded.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench install clean readme realworld mutate modern fuzz golden

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[verify,dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python corpus/demo.py

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Long property-based runs (fresh randomness, many examples) and the 5,000-term / 5,000-level
# deep-expression cases; `make test` runs a few seeded examples and shorter cases.
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	TORCHUP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) TORCHUP_LONG=1 $(BIN)/python -m pytest -q tests/engine/test_fuzz.py tests/engine/test_deep_expressions.py

# What fix --unsafe-fixes and check make of every corpus file, recorded for
# tests/corpus/test_golden_outputs.py: regenerate after a deliberate change of a codemod's outputs.
golden: $(STAMP)
	$(BIN)/python tests/corpus/golden_outputs.py

# TorchFix pins libcst<1.6 (torchup needs 1.9) and needs no torch: it gets a venv of its own.
# BENCH_ARGS=--sizes=500 for a quick run.
BENCH_VENV := build/bench/torchfix-venv
BENCH_ARGS ?=

$(BENCH_VENV)/bin/torchfix:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet torchfix==0.7.0

bench: $(STAMP) $(BENCH_VENV)/bin/torchfix
	$(BIN)/python benchmarks/run.py --torchfix $(BENCH_VENV)/bin/torchfix $(BENCH_ARGS)

# torchup over pinned modern packages (their sources, installed with --no-deps into build/modern)
# and this environment's torch: files, edits and findings per code, every edit listed for review.
modern: $(STAMP)
	$(BIN)/python benchmarks/modern.py $(MODERN_ARGS)

clean:
	rm -rf $(VENV) build dist src/*.egg-info mutants

# The README's codemod table, regenerated from the docstrings (a test fails when it is stale).
readme: $(STAMP)
	$(BIN)/python -c "import re,pathlib,subprocess; p=pathlib.Path('README.md'); t=subprocess.run(['$(BIN)/torchup','rules','--format','markdown'],capture_output=True,text=True,check=True).stdout; s=p.read_text(); b='<!-- rules:begin -->\n'; e='<!-- rules:end -->'; p.write_text(s[:s.index(b)+len(b)]+t+s[s.index(e):])"

# torchup on real 2017-18 code (corpus/real/) against its maintainers' migrations, then verify of
# its models; REALWORLD_ARGS=--write-readme puts the table into the README.
REALWORLD_ARGS ?=
realworld: $(STAMP)
	$(BIN)/python benchmarks/realworld.py $(REALWORLD_ARGS)

# Mutation testing (mutmut 3, the `mutate` extra; not part of `make test`). mutmut copies the tree
# into mutants/, maps each function to the tests that reach it, and runs each mutant against those
# tests only, MUTATE_JOBS at a time. MUTANTS picks mutants by name (fnmatch): "torchup.verify.*"
# (the verifier), "torchup.codemods.*" (the codemods), "torchup.verify.worker*" (one module),
# several separated by spaces; empty: all of them. codemods/ is imported as torchup.codemods, and mutmut names a mutant by its
# path: the link src/torchup/codemods (there only during the run) makes it mutate them under that
# name. (Mutated as codemods/, a mutant named codemods.X never switched on in torchup.codemods.X.)
MUTATE_STAMP := $(VENV)/.installed-mutate
MUTATE_JOBS ?= 2
MUTANTS ?= torchup.verify.*

$(MUTATE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[verify,dev,mutate]'
	touch $(MUTATE_STAMP)

# MUTATE_SAMPLE=N runs instead a seeded random sample of N mutants per package (MUTATE_SEED; all
# of them takes hours): benchmarks/mutation_sample.py draws it into mutants/sample.txt, and the
# report prints each package's rate over it with a 95% confidence interval.
MUTATE_SAMPLE ?=
MUTATE_SEED ?= 2026
MUTATE_REPORT_ARGS = $(if $(MUTATE_SAMPLE),--sample mutants/sample.txt)

mutate: $(MUTATE_STAMP)
	if [ -L mutants/src/torchup/codemods ]; then rm -rf mutants/src/torchup/codemods mutants/codemods; fi
	ln -sfn ../../codemods src/torchup/codemods
	if [ -n "$(MUTATE_SAMPLE)" ]; then \
		nice $(BIN)/python benchmarks/mutation_sample.py --size $(MUTATE_SAMPLE) --seed $(MUTATE_SEED) --jobs $(MUTATE_JOBS) && \
		names=$$(grep -v '^#' mutants/sample.txt) && \
		OMP_NUM_THREADS=1 nice $(BIN)/mutmut run --max-children $(MUTATE_JOBS) $$names; \
	else \
		OMP_NUM_THREADS=1 nice $(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(foreach pattern,$(MUTANTS),'$(pattern)'); \
	fi; \
		status=$$?; rm -f src/torchup/codemods; exit $$status
	$(BIN)/python benchmarks/mutation_report.py $(MUTATE_REPORT_ARGS)
