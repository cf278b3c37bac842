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
