#!/usr/bin/env bash
# Run the whole book on a GPU machine without internet, with the JAX backend.
#
#   make wheelhouse            # here, with internet: wheels for the GPU machine's Python
#   bash tools/gpu_run.sh      # there, from the repository root (wheelhouse/ carried along)
#
# Installs the wheels offline into a private folder (never touching the machine's JAX),
# runs every chapter under the full profile with --promote, and leaves results in
# results/full/ and the executed notebooks in build/executed/full/. Extra arguments go
# to the runner, e.g. `bash tools/gpu_run.sh --chapters 06`; GPU_PROFILE=ci GPU_PROMOTE=0 makes a dry run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
SITE=${GPU_SITE:-/tmp/rnn-tutorial-site}

if [ ! -d wheelhouse ]; then
    echo "tools/gpu_run.sh: wheelhouse/ is missing; run 'make wheelhouse' where there is internet and copy it here" >&2
    exit 2
fi
mkdir -p "$SITE"
"$PY" -m pip install --quiet --no-index --find-links wheelhouse --target "$SITE" --no-deps --no-compile wheelhouse/*.whl
# the package from this working tree, then the carried wheels; papermill's kernel
# (ipykernel's native "python3", i.e. this same Python) inherits both
export PYTHONPATH="$PWD/src:$SITE${PYTHONPATH:+:$PYTHONPATH}"
export KERAS_BACKEND=jax
export XLA_PYTHON_CLIENT_PREALLOCATE=false
"$PY" -c "import jax; print('JAX devices:', jax.devices())"
start=$(date +%s)
promote=--promote
[ "${GPU_PROMOTE:-1}" = 1 ] || promote=
"$PY" -m rnn_tutorial run --profile "${GPU_PROFILE:-full}" --backend jax $promote --no-progress "$@"
echo "whole book: $(( $(date +%s) - start )) s"
