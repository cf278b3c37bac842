# The two commands a reader needs: `make book` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PROFILE ?= laptop
CHAPTERS ?=
BACKEND ?=

.PHONY: venv book test unit notebooks book-strict run results-page clean help reproducible wheelhouse test-jax bench bench-levers references references-tensorflow references-jax breakage bands

help:
	@echo "make book   build the HTML book from the stored outputs into _build/html"
	@echo "make test   pytest --nbval (unit tests, strict book build, every chapter under the ci profile), the bands, then JAX"
	@echo "make run    re-execute chapters and promote outputs (PROFILE=laptop|full|ci, CHAPTERS='01 02')"
	@echo "make references  measure the ci bands again (3 seeds, both backends; CHAPTERS='06' for some)"
	@echo "make breakage    break the package on purpose and check that make test's checks catch it"

venv: $(STAMP)

# The virtual environment, from the exact versions in constraints.txt.
$(STAMP): constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[tensorflow,jax,book,test]'
	touch $(STAMP)

results-page: $(STAMP)
	$(BIN)/python -m rnn_tutorial.book.report

book: results-page
	$(BIN)/jupyter-book build . --quiet
	@echo "The book is built: open $(CURDIR)/_build/html/index.html"

unit: $(STAMP)
	$(BIN)/python -m pytest tests

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval chapters

book-strict: results-page
	$(BIN)/jupyter-book build . -W -n --keep-going --quiet

# pytest --nbval also builds the book strictly (tests/test_browser.py), so make test does
# not build it again.
test: $(STAMP)
	$(BIN)/python -m pytest --nbval
	$(MAKE) bands
	$(MAKE) test-jax

# The ci metrics pytest --nbval just recorded, against their reference bands.
bands: $(STAMP)
	$(BIN)/python -m rnn_tutorial.book.bands check build/metrics/nbval-tensorflow --backend tensorflow

# The package's backend-sensitive tests, the tests that start a JAX subprocess (marked
# backend_pass("jax"): pytest --nbval skips them) and every chapter on another backend: JAX on the
# CPU, with pytest as for TensorFlow (two workers; --nbval-lax: the cells must run, their
# outputs are not compared, since JAX differs from TensorFlow in the last digits), then
# each chapter's metrics against the JAX bands.
JAX_TESTS ?= tests/test_backends.py tests/test_models.py tests/test_layers.py tests/test_inspection.py \
	tests/test_language.py tests/test_training.py tests/test_pipeline.py tests/test_gan.py tests/test_safety.py \
	tests/test_autodiff.py tests/test_configs.py tests/test_environment.py tests/test_distribution.py
# Every chapter; under JAX the ci profile pads each batch to its max_len (one compilation
# per model), which keeps 07 and 08 about as fast as under TensorFlow.
JAX_CHAPTERS ?= 01 02 03 04 05 06 07 08 09
JAX_NOTEBOOKS = $(foreach c,$(JAX_CHAPTERS),$(wildcard chapters/$(c)_*.ipynb))
test-jax: $(STAMP)
	KERAS_BACKEND=jax $(BIN)/python -m pytest --nbval-lax $(JAX_TESTS) $(JAX_NOTEBOOKS) -q
	$(BIN)/python -m rnn_tutorial.book.bands check build/metrics/nbval-jax --backend jax --chapters $(JAX_CHAPTERS)

# Reference bands of the ci metrics: every chapter under seeds 1234, 1 and 2, per backend.
# The two backends are measured at once, each pinned to its own CPU share, as make test's
# two pytest workers run (see rnn_tutorial/book/cpus.py).
SEEDS ?= 1234 1 2
references: $(STAMP)
	$(MAKE) -j2 references-tensorflow references-jax

references-tensorflow: $(STAMP)
	$(BIN)/python -m rnn_tutorial.book.bands measure --backend tensorflow --cpu-share 0/2 --seeds $(SEEDS) $(if $(CHAPTERS),--chapters $(CHAPTERS))

references-jax: $(STAMP)
	$(BIN)/python -m rnn_tutorial.book.bands measure --backend jax --cpu-share 1/2 --seeds $(SEEDS) --chapters $(if $(CHAPTERS),$(CHAPTERS),$(JAX_CHAPTERS))

# Deliberate breakages of a copy of the package; each must fail make test's checks.
breakage: $(STAMP)
	$(BIN)/python tools/breakage.py

run: $(STAMP)
	$(BIN)/rnn-tutorial run --profile $(PROFILE) --promote $(if $(CHAPTERS),--chapters $(CHAPTERS)) $(if $(BACKEND),--backend $(BACKEND))

clean:
	rm -rf _build build

# Reproducibility: the ci profile run twice gives identical outputs (timings masked).
reproducible: $(STAMP)
	rm -rf build/repro
	$(BIN)/rnn-tutorial run --profile ci --no-record --no-progress --output build/repro/first $(if $(CHAPTERS),--chapters $(CHAPTERS))
	$(BIN)/rnn-tutorial run --profile ci --no-record --no-progress --output build/repro/second $(if $(CHAPTERS),--chapters $(CHAPTERS))
	$(BIN)/rnn-tutorial compare build/repro/first build/repro/second

# Wheels for an offline GPU machine (default: Python 3.12 on x86-64 Linux) that already
# has JAX; see tools/gpu_run.sh. The folder is ignored by git.
GPU_PYTHON ?= 3.12
wheelhouse: $(STAMP)
	rm -rf wheelhouse && mkdir -p wheelhouse
	$(BIN)/python -m pip download --quiet --dest wheelhouse --only-binary=:all: \
	    --python-version $(GPU_PYTHON) --implementation cp \
	    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
	    --platform manylinux1_x86_64 --platform any \
	    -r tools/gpu-requirements.txt
	for w in wheelhouse/*.whl; do \
	    name=$$(basename $$w | cut -d- -f1 | tr 'A-Z_' 'a-z-'); \
	    if grep -qx "$$name" tools/gpu-provided.txt; then rm "$$w"; fi; \
	done
	@ls wheelhouse | wc -l | xargs echo "wheels in wheelhouse/:"
	@du -sh wheelhouse

# Benchmarks (not part of `make test`): bucketed against naive padding, LSTM
# throughput against sequence length and batch size, TensorFlow against JAX (about 5
# minutes each). Results in results/bench/. `make bench-levers` measures the
# pretraining chapter's levers on the laptop profile (about 45 minutes).
bench: $(STAMP)
	$(BIN)/python benchmarks/training_throughput.py
	$(BIN)/python benchmarks/rnn_throughput.py
	$(BIN)/python benchmarks/backends.py

bench-levers: $(STAMP)
	$(BIN)/python benchmarks/pretraining_levers.py
