"""Tests of rnn_tutorial.gan: data, model shapes, MMD and the score, training steps, validation."""

import keras
import numpy as np
import pytest

from rnn_tutorial.gan import (
    SequenceGAN,
    discriminator,
    dominant_frequency,
    gan_score,
    generator,
    median_distance,
    mmd,
    noise_sequences,
    plot_gan_losses,
    plot_sequences,
    sine_waves,
)


def test_sine_waves_shape_range_and_reproducibility():
    x = sine_waves(50, length=40, rng=np.random.default_rng(3), amplitude=0.8, noise=0.0)
    assert x.shape == (50, 40, 1) and x.dtype == np.float32
    assert np.abs(x).max() <= 0.8 + 1e-6
    np.testing.assert_array_equal(x, sine_waves(50, length=40, rng=3, amplitude=0.8, noise=0.0))
    assert not np.array_equal(x, sine_waves(50, length=40, rng=4, amplitude=0.8, noise=0.0))


def test_sine_waves_frequencies_fall_in_the_range():
    x = sine_waves(200, length=64, rng=0, frequency_range=(0.1, 0.2), noise=0.0)
    f = dominant_frequency(x)
    assert f.shape == (200,)
    assert np.all((f >= 0.1 - 1 / 64) & (f <= 0.2 + 1 / 64))


def test_dominant_frequency_of_a_pure_sine():
    t = np.arange(32)
    x = np.stack([np.sin(2 * np.pi * k / 32 * t + 0.3) for k in (1, 3, 7)])[..., None]
    np.testing.assert_allclose(dominant_frequency(x), [1 / 32, 3 / 32, 7 / 32])


def test_noise_and_model_shapes():
    z = noise_sequences(3, 7, 5, rng=0)
    assert z.shape == (3, 7, 5) and z.dtype == np.float32
    g = generator(noise_dim=5, units=4)
    out = np.asarray(g(z))
    assert out.shape == (3, 7, 1) and np.all(np.abs(out) < 1)
    d = discriminator(units=4)
    assert tuple(d(out).shape) == (3, 1)
    assert g.count_params() == 4 * 4 * (4 + 5 + 1) + 4 + 1


def test_mmd_properties():
    rng = np.random.default_rng(0)
    x, y = sine_waves(200, rng=rng), sine_waves(200, rng=rng)
    bw = [median_distance(x)]
    assert mmd(x, x, bw) == pytest.approx(0.0, abs=1e-6)
    assert mmd(x, y, bw) == pytest.approx(mmd(y, x, bw), rel=1e-9)
    gaps = [mmd(x, y + shift, bw) for shift in (0.0, 0.2, 0.5, 1.0)]
    assert 0 < gaps[0] < gaps[1] < gaps[2] < gaps[3]


def test_gan_score_is_about_one_for_real_data_and_large_for_noise():
    rng = np.random.default_rng(1)
    real, reference, other = (sine_waves(300, rng=rng) for _ in range(3))
    m = median_distance(real)
    bw = [m / 4, m / 2, m]
    assert 0.5 < gan_score(other, real, reference, bw) < 2.0
    assert gan_score(np.zeros_like(real), real, reference, bw) > 3.0


@pytest.mark.parametrize("call, error, match", [
    (lambda: sine_waves(0, rng=0), ValueError, "n must be a positive integer"),
    (lambda: sine_waves(5), TypeError, "rng"),
    (lambda: sine_waves(5, rng=0, frequency_range=(0.2, 0.7)), ValueError, "frequency_range"),
    (lambda: sine_waves(5, rng=0, noise=-1.0), ValueError, "noise"),
    (lambda: generator(units=0), ValueError, "units"),
    (lambda: mmd(np.zeros((4, 8)), np.zeros((4, 8)), [1.0]), ValueError, r"3-D.*x\[\.\.\., None\]"),
    (lambda: mmd(np.zeros((4, 8, 1)), np.zeros((4, 9, 1)), [1.0]), ValueError, "same"),
    (lambda: mmd(np.zeros((4, 8, 1)), np.ones((4, 8, 1)), 1.0), TypeError, "wrap it in a list"),
    (lambda: mmd(np.zeros((4, 8, 1)), np.ones((4, 8, 1)), [0.0]), ValueError, "bandwidths"),
    (lambda: dominant_frequency(np.full((3, 8, 1), np.nan)), ValueError, "NaN"),
    (lambda: SequenceGAN("g", discriminator()), TypeError, "generator must be a keras.Model"),
])
def test_validation_messages(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_training_steps_update_both_models_and_record_history():
    keras.utils.set_random_seed(0)
    gan = SequenceGAN(generator(units=4), discriminator(units=4))
    g_before = [w.copy() for w in gan.generator.get_weights()]
    d_before = [w.copy() for w in gan.discriminator.get_weights()]
    real = sine_waves(40, length=12, rng=0)
    history = gan.train(real, steps=3, batch_size=8, rng=1, log_every=3, callback=lambda step: {"marker": 1.0})
    assert [len(history[k]) for k in ("d_loss", "g_loss", "d_real", "d_fake")] == [3, 3, 3, 3]
    assert all(np.isfinite(history["d_loss"])) and all(0 < p < 1 for p in history["d_real"])
    assert history["eval"] == [(3, {"marker": 1.0})]
    assert any(not np.array_equal(a, b) for a, b in zip(g_before, gan.generator.get_weights()))
    assert any(not np.array_equal(a, b) for a, b in zip(d_before, gan.discriminator.get_weights()))
    assert gan.generate(5, length=12, rng=2).shape == (5, 12, 1)
    with pytest.raises(ValueError, match="batch_size must be at most"):
        gan.train(real, steps=1, batch_size=41, rng=0)


def test_figures_return_figures():
    import matplotlib

    matplotlib.use("Agg")
    x = sine_waves(4, rng=0)
    assert plot_sequences({"real": x, "copy": x}, count=2).axes
    assert plot_gan_losses({"d_loss": [1.4, 1.3, 1.2], "g_loss": [0.7, 0.8, 0.9]}, smooth=2).axes
