"""rnn_tutorial.configs: one frozen config per variant; builder and count agree on each."""

import dataclasses

import pytest

from rnn_tutorial.configs import VARIANTS, SentimentConfig, variant
from rnn_tutorial.models import sentiment_model, sentiment_param_count


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_every_variant_builds_with_the_count_it_announces(name):
    config = VARIANTS[name]
    model = sentiment_model(name=name, **config.options())
    assert sentiment_param_count(**config.size_options()) == model.count_params()


def test_the_default_is_the_training_chapters_model():
    assert VARIANTS["lstm"] == SentimentConfig()
    default = sentiment_model()
    assert sentiment_model(**SentimentConfig().options()).count_params() == default.count_params()


def test_configs_are_frozen_and_replace_makes_a_copy():
    config = variant("gru")
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.units = 3
    assert config.replace(units=3).units == 3 and config.units == 64
    with pytest.raises(TypeError):
        config.replace(colour="red")


def test_an_unknown_variant_is_refused_with_the_names():
    with pytest.raises(ValueError, match="variant must be one of 'lstm'"):
        variant("transformer")
