"""rnn_tutorial.environment: setup seeds from the argument, else RNN_TUTORIAL_SEED, else 1234."""

import logging
import random

import numpy as np
import pytest

from rnn_tutorial import environment


def test_default_seed_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(environment.SEED_ENV_VAR, raising=False)
    assert environment.default_seed() == environment.DEFAULT_SEED == 1234
    monkeypatch.setenv(environment.SEED_ENV_VAR, "7")
    assert environment.default_seed() == 7


@pytest.mark.parametrize("bad", ["-1", "seven", "1.5"])
def test_a_bad_seed_variable_is_refused_with_a_fix(monkeypatch, bad):
    monkeypatch.setenv(environment.SEED_ENV_VAR, bad)
    with pytest.raises(ValueError, match="RNN_TUTORIAL_SEED=.* is not a non-negative integer"):
        environment.default_seed()


def test_setup_uses_the_seed_it_resolves(monkeypatch):
    monkeypatch.setenv(environment.SEED_ENV_VAR, "3")
    run = environment.setup("ci", chapter="01_concepts", show=False)
    first = (random.random(), np.random.rand())
    assert run.seed == 3
    environment.setup("ci", chapter="01_concepts", seed=3, show=False)
    assert (random.random(), np.random.rand()) == first
    assert environment.setup("ci", chapter="01_concepts", seed=5, show=False).seed == 5


def test_quiet_retracing_silences_the_tensorflow_logger_and_restores_its_level():
    from rnn_tutorial.environment import quiet_retracing

    tf = pytest.importorskip("tensorflow")
    logger = tf.get_logger()
    before = logger.level
    with quiet_retracing():
        assert logger.level == logging.ERROR
    assert logger.level == before


def test_compilation_cache_is_a_no_op_off_jax(tmp_path, monkeypatch):
    # under TensorFlow (make test runs this file under JAX too): nothing is configured,
    # nothing is written
    monkeypatch.setattr(environment, "backend_name", lambda: "tensorflow")
    assert environment.compilation_cache(tmp_path / "jax") is None
    assert not (tmp_path / "jax").exists()


@pytest.mark.parametrize("bad", [3, b"folder", ["build"]])
def test_compilation_cache_refuses_a_folder_that_is_no_path(bad):
    with pytest.raises(TypeError, match="folder must be a path"):
        environment.compilation_cache(bad)


SETUP_UNDER_JAX = r"""
import pathlib, sys
import rnn_tutorial.paths as paths
paths.cache_dir = lambda path=None: pathlib.Path(sys.argv[1])
from rnn_tutorial import setup
import jax, jax.numpy as jnp
setup("ci", chapter="cache_test", show=False)
print(jax.config.jax_compilation_cache_dir)
f = jax.jit(lambda x: jnp.tanh(x @ x.T).sum())
print(float(f(jnp.ones((64, 64)))))
"""


@pytest.mark.backend_pass("jax")
def test_setup_under_jax_keeps_compiled_programs_for_the_next_process(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu",
           "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0"}
    env.pop("JAX_COMPILATION_CACHE_DIR", None)
    outputs, entries = [], []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", SETUP_UNDER_JAX, str(tmp_path)], env=env,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        outputs.append(proc.stdout.split())
        entries.append(sorted(p.name for p in (tmp_path / "jax").iterdir() if p.name.endswith("-cache")))
    assert outputs[0][0] == str(tmp_path / "jax")           # setup pointed JAX at build/cache/jax
    assert entries[0]                                       # the first process wrote its programs
    assert entries[1] == entries[0]                         # the second found them: nothing new written
    assert outputs[0][1] == outputs[1][1]


def test_compilation_cache_warns_and_runs_without_one_where_it_cannot_write(tmp_path, monkeypatch):
    import jax

    monkeypatch.setattr(environment, "backend_name", lambda: "jax")
    monkeypatch.delenv("JAX_COMPILATION_CACHE_DIR", raising=False)
    before = jax.config.jax_compilation_cache_dir
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.warns(UserWarning, match="not cached: cannot create .*JAX_COMPILATION_CACHE_DIR"):
        assert environment.compilation_cache(blocker / "jax") is None
    assert jax.config.jax_compilation_cache_dir == before     # JAX was left as it was


# --------------------------------------------------------------------------- seeds: NumPy integers, the range NumPy accepts


def test_setup_accepts_numpy_integer_seeds_and_records_a_python_int():
    # np.int64(5) used to be refused: "seed must be a non-negative integer, got np.int64(5)"
    run = environment.setup("ci", chapter="01_concepts", seed=np.int64(5), show=False)
    assert run.seed == 5 and type(run.seed) is int
    first = (random.random(), np.random.rand())
    environment.setup("ci", chapter="01_concepts", seed=5, show=False)
    assert (random.random(), np.random.rand()) == first
    environment.seed_everything(np.uint32(2**32 - 1))         # the largest seed NumPy takes


@pytest.mark.parametrize("bad, error, match", [
    (2**32, ValueError, r"seed must be an integer from 0 to 4294967295, got 4294967296; use 4294967295 or less"),
    (-5, ValueError, r"seed must be an integer from 0 to 4294967295, got -5; use 0 or more"),
    (1.5, TypeError, r"seed must be an integer from 0 to 4294967295, got float 1\.5"),
    ("7", TypeError, r"seed must be an integer from 0 to 4294967295, got str '7'"),
    (True, TypeError, r"seed must be .* got bool True"),
])
def test_a_seed_out_of_numpys_range_is_refused_before_anything_is_seeded(monkeypatch, bad, error, match):
    # 2**32 used to fail inside NumPy after PYTHONHASHSEED and random were already set
    monkeypatch.setenv("PYTHONHASHSEED", "untouched")
    state = random.getstate()
    for call in (lambda: environment.seed_everything(bad),
                 lambda: environment.setup("ci", chapter="01_concepts", seed=bad, show=False)):
        with pytest.raises(error, match=match):
            call()
        assert random.getstate() == state and environment.os.environ["PYTHONHASHSEED"] == "untouched"


@pytest.mark.parametrize("bad", ["²", "١٢", "4294967296", "99999999999999999999"])
def test_a_seed_variable_that_is_no_ascii_seed_in_range_names_the_variable(monkeypatch, bad):
    # "²" passed str.isdigit() and then int() failed raw; 4294967296 was accepted and failed later
    monkeypatch.setenv(environment.SEED_ENV_VAR, bad)
    with pytest.raises(ValueError, match=r"RNN_TUTORIAL_SEED=.* (is not a non-negative integer|is above 4294967295)"):
        environment.default_seed()


def test_the_largest_seed_variable_is_accepted(monkeypatch):
    monkeypatch.setenv(environment.SEED_ENV_VAR, " 4294967295 ")
    assert environment.default_seed() == 2**32 - 1
