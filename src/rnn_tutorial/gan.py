"""A small recurrent GAN for sequences: data, models, training and evaluation (chapter 9).

A generative adversarial network (GAN) trains two models against each other: a
*generator* turns random noise into samples, a *discriminator* tells generated samples
from real ones, and each is updated to beat the other. Here both are LSTMs and the
samples are short sequences.

- :func:`sine_waves`: the data, noisy sine waves of random frequency and phase,
  ``(batch, time, 1)``.
- :func:`noise_sequences`: the generator's input, Gaussian noise ``(batch, time, noise_dim)``.
- :func:`generator` and :func:`discriminator`: the two LSTM models.
- :class:`SequenceGAN`: the adversarial training loop (TensorFlow and JAX backends).
- :func:`mmd`, :func:`median_distance`, :func:`gan_score`, :func:`dominant_frequency`:
  how close the generated distribution is to the real one.
- :func:`plot_sequences`, :func:`plot_gan_losses`: the chapter's figures.

Example:
    >>> rng = np.random.default_rng(0)
    >>> real = sine_waves(1024, rng=rng)                      # (1024, 32, 1)
    >>> gan = SequenceGAN(generator(), discriminator())
    >>> history = gan.train(real, steps=300, rng=rng)
    >>> fake = gan.generate(500, rng=rng)                     # (500, 32, 1)
    >>> gan_score(fake, sine_waves(500, rng=rng), sine_waves(500, rng=rng), bandwidths=[1.0])
"""

from __future__ import annotations

import numbers
from typing import Callable, Mapping, Optional, Sequence

import keras
import numpy as np

from .validation import check_float, check_int

SEQUENCE_LENGTH = 32
"""Time steps of every sequence in the chapter."""
FREQUENCY_RANGE = (0.04, 0.12)
"""Range of the sine waves' frequencies, in cycles per time step (1.3 to 3.8 cycles in 32 steps)."""
AMPLITUDE = 0.8
"""Amplitude of the sine waves."""
NOISE_STD = 0.05
"""Standard deviation of the Gaussian noise added to every time step of a sine wave."""
NOISE_DIM = 4
"""Features of the generator's input noise at each time step."""
UNITS = 32
"""Hidden units of the generator's and the discriminator's LSTM."""


# --------------------------------------------------------------------------- validation

def _rng(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        raise TypeError("rng must be a numpy Generator or an integer seed, got None; "
                        "pass rng=np.random.default_rng(seed) so the result is reproducible")
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, numbers.Integral):
        raise TypeError(f"rng must be a numpy Generator or a non-negative integer seed, got {type(rng).__name__} {rng!r}; "
                        "pass rng=np.random.default_rng(seed) or an int")
    return np.random.default_rng(check_int("rng", rng, min=0, hint="an integer seed"))


def _sequences(name: str, x, features: Optional[int] = 1) -> np.ndarray:
    """Check that ``x`` is a ``(batch, time, features)`` array of finite numbers."""
    try:
        array = np.asarray(keras.ops.convert_to_numpy(x) if not isinstance(x, np.ndarray) else x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be an array of numbers shaped (batch, time, features), "
                        f"got {type(x).__name__}") from err
    if array.ndim != 3:
        hint = " Add a features axis with x[..., None]." if array.ndim == 2 else ""
        raise ValueError(f"{name} must be 3-D, (batch, time, features), got shape {array.shape}.{hint}")
    if array.shape[0] < 2 or array.shape[1] < 1:
        raise ValueError(f"{name} needs at least 2 sequences of at least 1 step, got shape {array.shape}")
    if features is not None and array.shape[2] != features:
        raise ValueError(f"{name} must have {features} feature(s) per step, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


# --------------------------------------------------------------------------- data

def sine_waves(n: int, length: int = SEQUENCE_LENGTH, rng=None, frequency_range=FREQUENCY_RANGE,
               amplitude: float = AMPLITUDE, noise: float = NOISE_STD) -> np.ndarray:
    """Noisy sine waves of random frequency and phase: the "real" data of the GAN.

    Sequence ``i`` is ``x_t = amplitude * sin(2 pi f_i t + phi_i) + noise * e_t`` for
    ``t = 0, ..., length - 1``, with the frequency ``f_i`` uniform in
    ``frequency_range`` (cycles per time step), the phase ``phi_i`` uniform in
    ``[0, 2 pi)`` and ``e_t`` standard normal.

    Args:
        n: how many sequences.
        length: time steps per sequence, default ``SEQUENCE_LENGTH`` (32).
        rng: a ``numpy.random.Generator`` or an integer seed (required).
        frequency_range: ``(low, high)`` with ``0 < low <= high <= 0.5`` (0.5 is the
            Nyquist frequency), default ``FREQUENCY_RANGE``.
        amplitude: a positive number, default ``AMPLITUDE`` (0.8).
        noise: the noise's standard deviation, ``>= 0``, default ``NOISE_STD`` (0.05).

    Returns:
        ``float32`` array ``(n, length, 1)``.
    """
    n = check_int("n", n, min=1)
    length = check_int("length", length, min=1)
    gen = _rng(rng)
    if isinstance(frequency_range, (str, bytes)) or not hasattr(frequency_range, "__len__") or len(frequency_range) != 2:
        raise TypeError(f"frequency_range must be a pair (low, high) of numbers, got {frequency_range!r}")
    low, high = (check_float(f"frequency_range[{i}]", v) for i, v in enumerate(frequency_range))
    if not 0.0 < low <= high <= 0.5:
        raise ValueError(f"frequency_range must satisfy 0 < low <= high <= 0.5 cycles per step, got {frequency_range!r}")
    amplitude = check_float("amplitude", amplitude, min=0, include_min=False)
    noise = check_float("noise", noise, min=0, hint="the noise's standard deviation; 0 for clean waves")
    frequency = gen.uniform(low, high, size=(n, 1))
    phase = gen.uniform(0.0, 2 * np.pi, size=(n, 1))
    t = np.arange(length)[None, :]
    waves = amplitude * np.sin(2 * np.pi * frequency * t + phase) + noise * gen.standard_normal((n, length))
    return waves[..., None].astype("float32")


def noise_sequences(n: int, length: int = SEQUENCE_LENGTH, noise_dim: int = NOISE_DIM, rng=None) -> np.ndarray:
    """Standard normal noise ``(n, length, noise_dim)``, ``float32``: the generator's input.

    Args:
        n: how many sequences.
        length: time steps, default ``SEQUENCE_LENGTH``.
        noise_dim: features per step, default ``NOISE_DIM``.
        rng: a ``numpy.random.Generator`` or an integer seed (required).
    """
    shape = (check_int("n", n, min=1), check_int("length", length, min=1), check_int("noise_dim", noise_dim, min=1))
    return _rng(rng).standard_normal(shape).astype("float32")


# --------------------------------------------------------------------------- models

def generator(noise_dim: int = NOISE_DIM, units: int = UNITS, name: str = "generator") -> keras.Sequential:
    """LSTM(return_sequences=True) -> Dense(1): noise sequence in, sequence out.

    Args:
        noise_dim: noise features per time step, default ``NOISE_DIM`` (4).
        units: the LSTM's hidden units, default ``UNITS`` (32).
        name: the model's name.

    Call arguments:
        noise: ``(batch, time, noise_dim)``, for example from :func:`noise_sequences`.

    Returns:
        A ``keras.Sequential`` mapping ``(batch, time, noise_dim)`` to ``(batch, time, 1)``.
        The output layer's ``tanh`` keeps every value in ``(-1, 1)``, the range of the data.
    """
    noise_dim, units = check_int("noise_dim", noise_dim, min=1), check_int("units", units, min=1)
    return keras.Sequential([
        keras.Input(shape=(None, noise_dim), name="noise"),
        keras.layers.LSTM(units, return_sequences=True, name="lstm"),
        keras.layers.Dense(1, activation="tanh", name="value"),
    ], name=name)


def discriminator(units: int = UNITS, features: int = 1, name: str = "discriminator") -> keras.Sequential:
    """LSTM -> Dense(1): a sequence in, one logit out (positive means "real").

    Args:
        units: the LSTM's hidden units, default ``UNITS`` (32).
        features: features per time step of the sequences judged, default 1.
        name: the model's name.

    Call arguments:
        sequences: ``(batch, time, features)``.

    Returns:
        A ``keras.Sequential`` mapping ``(batch, time, features)`` to logits ``(batch, 1)``;
        ``sigmoid(logit)`` is the estimated probability that the sequence is real.
    """
    units, features = check_int("units", units, min=1), check_int("features", features, min=1)
    return keras.Sequential([
        keras.Input(shape=(None, features), name="sequence"),
        keras.layers.LSTM(units, name="lstm"),
        keras.layers.Dense(1, name="real_logit"),
    ], name=name)


def _bce(target: float, logits):
    """Mean binary cross-entropy of ``logits`` against a constant ``target`` (0 or 1)."""
    ops = keras.ops
    return ops.mean(ops.binary_crossentropy(ops.full_like(logits, target), logits, from_logits=True))


def _compiled_value_and_grad(loss_fn: Callable):
    """Compile ``loss_fn(wrt, *rest) -> (loss, aux)`` into ``f(wrt, *rest) -> (loss, aux, grads)``.

    Gradients are taken with respect to the list ``wrt`` only. Keras 3 has no
    backend-independent gradient function, so this is the one place that names a backend.
    """
    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        value_and_grad = jax.jit(jax.value_and_grad(loss_fn, has_aux=True))

        def step(wrt, *rest):
            (loss, aux), grads = value_and_grad(wrt, *rest)
            return loss, aux, grads

        return step
    if backend == "tensorflow":
        import tensorflow as tf

        @tf.function(reduce_retracing=True)
        def step(wrt, *rest):
            with tf.GradientTape() as tape:
                tape.watch(wrt)
                loss, aux = loss_fn(wrt, *rest)
            return loss, aux, tape.gradient(loss, wrt)

        return step
    raise NotImplementedError(f"SequenceGAN trains with the tensorflow or jax backend, not {backend!r}; "
                              "set KERAS_BACKEND=tensorflow or KERAS_BACKEND=jax")


class SequenceGAN:
    """A generator and a discriminator, trained against each other.

    Each call of :meth:`train_batch` makes two updates with the standard
    (non-saturating) GAN losses {Goodfellow et al., 2014}:

    1. the discriminator ``D`` on a real batch ``x`` and a generated batch ``G(z)``,
       minimizing ``d_loss = BCE(1, D(x)) + BCE(0, D(G(z)))``;
    2. the generator ``G`` on fresh noise ``z'``, minimizing
       ``g_loss = BCE(1, D(G(z')))``: it is rewarded when ``D`` calls its samples real.

    ``BCE(y, logit)`` is the mean binary cross-entropy. At the game's equilibrium ``D``
    outputs 1/2 everywhere, so ``d_loss = 2 log 2 ~ 1.386`` and ``g_loss = log 2 ~ 0.693``.

    The models are called with ``stateless_call`` and differentiated with the backend's
    own autodiff, compiled once (``tf.function`` on TensorFlow, ``jax.jit`` on JAX);
    the PyTorch backend is not supported.

    Args:
        generator: a Keras model ``(batch, time, noise_dim) -> (batch, time, features)``,
            for example :func:`generator`.
        discriminator: a Keras model ``(batch, time, features) -> (batch, 1)`` logits,
            for example :func:`discriminator`.
        generator_optimizer: default ``Adam(learning_rate=5e-4, beta_1=0.5)``.
        discriminator_optimizer: default ``Adam(learning_rate=5e-4, beta_1=0.5)``.

    Attributes:
        noise_dim: the generator's noise features per step, read from its input shape.
    """

    def __init__(self, generator: keras.Model, discriminator: keras.Model,
                 generator_optimizer: Optional[keras.optimizers.Optimizer] = None,
                 discriminator_optimizer: Optional[keras.optimizers.Optimizer] = None):
        for name, model in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(model, keras.Model):
                raise TypeError(f"{name} must be a keras.Model, got {type(model).__name__}")
            if not model.built:
                raise ValueError(f"{name} must be built (give it a keras.Input), got an unbuilt model {model.name!r}")
        noise_dim = generator.input_shape[-1]
        if not isinstance(noise_dim, int):
            raise ValueError(f"generator's input must have a fixed number of noise features, got input shape {generator.input_shape}")
        for name, opt in (("generator_optimizer", generator_optimizer), ("discriminator_optimizer", discriminator_optimizer)):
            if opt is not None and not isinstance(opt, keras.optimizers.Optimizer):
                raise TypeError(f"{name} must be a keras optimizer or None, got {type(opt).__name__}")
        self.generator = generator
        self.discriminator = discriminator
        self.noise_dim = noise_dim
        self.generator_optimizer = generator_optimizer or keras.optimizers.Adam(learning_rate=5e-4, beta_1=0.5)
        self.discriminator_optimizer = discriminator_optimizer or keras.optimizers.Adam(learning_rate=5e-4, beta_1=0.5)
        self.generator_optimizer.build(generator.trainable_variables)
        self.discriminator_optimizer.build(discriminator.trainable_variables)
        self._d_step = _compiled_value_and_grad(self._discriminator_loss)
        self._g_step = _compiled_value_and_grad(self._generator_loss)

    # The two losses, as pure functions of the weights' values.
    def _discriminator_loss(self, d_weights, d_state, g_weights, g_state, real, noise):
        fake, _ = self.generator.stateless_call(g_weights, g_state, noise, training=True)
        real_logits, _ = self.discriminator.stateless_call(d_weights, d_state, real, training=True)
        fake_logits, _ = self.discriminator.stateless_call(d_weights, d_state, fake, training=True)
        loss = _bce(1.0, real_logits) + _bce(0.0, fake_logits)
        sigmoid = keras.ops.sigmoid
        return loss, (keras.ops.mean(sigmoid(real_logits)), keras.ops.mean(sigmoid(fake_logits)))

    def _generator_loss(self, g_weights, g_state, d_weights, d_state, noise):
        fake, _ = self.generator.stateless_call(g_weights, g_state, noise, training=True)
        fake_logits, _ = self.discriminator.stateless_call(d_weights, d_state, fake, training=True)
        return _bce(1.0, fake_logits), ()

    @staticmethod
    def _values(model):
        return ([keras.ops.convert_to_tensor(v.value) for v in model.trainable_variables],
                [keras.ops.convert_to_tensor(v.value) for v in model.non_trainable_variables])

    def train_batch(self, real, rng) -> dict[str, float]:
        """One discriminator update, then one generator update.

        Args:
            real: a batch of real sequences ``(batch, time, features)``.
            rng: a ``numpy.random.Generator`` (or seed) for the two noise batches.

        Returns:
            ``{"d_loss", "g_loss", "d_real", "d_fake"}``: the two losses, and the
            discriminator's mean probability "real" on the real and on the generated
            batch (before its update).
        """
        gen = _rng(rng)
        real = keras.ops.convert_to_tensor(np.asarray(real, dtype="float32"))
        batch, length = int(real.shape[0]), int(real.shape[1])
        noise_d = keras.ops.convert_to_tensor(noise_sequences(batch, length, self.noise_dim, gen))
        noise_g = keras.ops.convert_to_tensor(noise_sequences(batch, length, self.noise_dim, gen))

        d_weights, d_state = self._values(self.discriminator)
        g_weights, g_state = self._values(self.generator)
        d_loss, (d_real, d_fake), grads = self._d_step(d_weights, d_state, g_weights, g_state, real, noise_d)
        self.discriminator_optimizer.apply(grads, self.discriminator.trainable_variables)

        d_weights, d_state = self._values(self.discriminator)
        g_loss, _, grads = self._g_step(g_weights, g_state, d_weights, d_state, noise_g)
        self.generator_optimizer.apply(grads, self.generator.trainable_variables)
        return {"d_loss": float(d_loss), "g_loss": float(g_loss), "d_real": float(d_real), "d_fake": float(d_fake)}

    def train(self, real, steps: int, batch_size: int = 64, rng=None, log_every: int = 0,
              callback: Optional[Callable[[int], Optional[Mapping[str, float]]]] = None) -> dict[str, list]:
        """Train for ``steps`` mini-batches drawn at random from ``real``.

        Args:
            real: the real sequences ``(n, time, features)``, ``n >= batch_size``.
            steps: how many :meth:`train_batch` updates.
            batch_size: sequences per mini-batch, default 64.
            rng: a ``numpy.random.Generator`` or seed (required): batches and noise.
            log_every: print one line every ``log_every`` steps (0: never).
            callback: called as ``callback(step)`` after every ``log_every``-th step (and
                after the last); a mapping it returns is recorded in the history under
                ``"eval"`` and printed with the line.

        Returns:
            ``{"d_loss": [...], "g_loss": [...], "d_real": [...], "d_fake": [...],
            "eval": [(step, {...}), ...]}``, one loss entry per step.
        """
        data = _sequences("real", real, features=None).astype("float32")
        steps = check_int("steps", steps, min=1)
        batch_size = check_int("batch_size", batch_size, min=1)
        if batch_size > len(data):
            raise ValueError(f"batch_size must be at most the number of real sequences ({len(data)}), got {batch_size}")
        log_every = check_int("log_every", log_every, min=0, hint="0 never prints")
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be a function of the step or None, got {type(callback).__name__}")
        gen = _rng(rng)
        history: dict[str, list] = {"d_loss": [], "g_loss": [], "d_real": [], "d_fake": [], "eval": []}
        for step in range(1, steps + 1):
            logs = self.train_batch(data[gen.choice(len(data), batch_size, replace=False)], gen)
            for key, value in logs.items():
                history[key].append(value)
            if log_every and (step % log_every == 0 or step == steps):
                extra = callback(step) if callback is not None else None
                if extra:
                    history["eval"].append((step, dict(extra)))
                line = f"step {step:5d}: " + ", ".join(f"{k} {v:.3f}" for k, v in logs.items())
                if extra:
                    line += ", " + ", ".join(f"{k} {v:.3f}" for k, v in extra.items())
                print(line)
        return history

    def generate(self, n: int, length: int = SEQUENCE_LENGTH, rng=None, batch_size: int = 256) -> np.ndarray:
        """Generate ``n`` sequences ``(n, length, features)`` as a NumPy array.

        Args:
            n: how many sequences.
            length: time steps, default ``SEQUENCE_LENGTH``.
            rng: a ``numpy.random.Generator`` or seed (required): the input noise.
            batch_size: sequences per forward pass.
        """
        batch_size = check_int("batch_size", batch_size, min=1)
        noise = noise_sequences(n, length, self.noise_dim, rng)
        return np.asarray(self.generator.predict(noise, batch_size=batch_size, verbose=0))


# --------------------------------------------------------------------------- evaluation

def _flatten_pair(x, y):
    x = _sequences("x", x, features=None)
    y = _sequences("y", y, features=None)
    if x.shape[1:] != y.shape[1:]:
        raise ValueError(f"x and y must have the same (time, features), got shapes {x.shape} and {y.shape}")
    return x.reshape(len(x), -1), y.reshape(len(y), -1)


def _squared_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    d = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2.0 * a @ b.T
    return np.maximum(d, 0.0)


def median_distance(x) -> float:
    """The median Euclidean distance between two different sequences of ``x`` (flattened).

    The usual choice of the RBF kernel's bandwidth for :func:`mmd` (the "median heuristic").

    Args:
        x: sequences ``(batch, time, features)``.
    """
    flat = _sequences("x", x, features=None).reshape(len(x), -1)
    d = _squared_distances(flat, flat)
    return float(np.sqrt(np.median(d[np.triu_indices(len(flat), k=1)])))


def mmd(x, y, bandwidths: Sequence[float]) -> float:
    """Maximum mean discrepancy between the samples ``x`` and ``y`` with RBF kernels.

    With the kernel ``k(a, b) = sum_s exp(-||a - b||^2 / (2 s^2))`` over the bandwidths
    ``s`` (sequences flattened to vectors of ``time * features`` numbers), this returns
    the square root of the biased (V-statistic) estimate

    ``MMD^2 = mean_ij k(x_i, x_j) + mean_ij k(y_i, y_j) - 2 mean_ij k(x_i, y_j)``,

    means over all pairs, diagonals included. It is 0 exactly when ``x`` and ``y`` are the
    same sample, never negative, and grows as the two distributions move apart; for two
    independent samples of one distribution it is small but positive (of order
    ``1 / sqrt(n)``), which is why :func:`gan_score` divides by such a baseline.

    Args:
        x: sequences ``(n, time, features)``.
        y: sequences ``(m, time, features)``, same ``time`` and ``features``.
        bandwidths: one or more positive kernel widths ``s``, in the units of the data;
            :func:`median_distance` gives a natural scale.

    Returns:
        The MMD, a float ``>= 0``.
    """
    a, b = _flatten_pair(x, y)
    if isinstance(bandwidths, numbers.Real):
        raise TypeError(f"bandwidths must be a sequence of positive numbers, got the number {bandwidths!r}; wrap it in a list")
    if isinstance(bandwidths, (str, bytes)) or not hasattr(bandwidths, "__iter__"):
        raise TypeError(f"bandwidths must be a sequence of positive numbers, got {type(bandwidths).__name__} {bandwidths!r}")
    widths = [check_float(f"bandwidths[{i}]", s, min=0, include_min=False, hint="median_distance(x) gives a scale")
              for i, s in enumerate(bandwidths)]
    if not widths:
        raise ValueError(f"bandwidths must be a non-empty sequence of positive numbers, got {bandwidths!r}")

    def kernel_mean(p, q):
        d = _squared_distances(p, q)
        return sum(np.exp(-d / (2.0 * s * s)).mean() for s in widths)

    squared = kernel_mean(a, a) + kernel_mean(b, b) - 2.0 * kernel_mean(a, b)
    return float(np.sqrt(max(squared, 0.0)))


def gan_score(generated, real, reference, bandwidths: Sequence[float]) -> float:
    """How far generated sequences are from real ones, in units of sampling noise.

    ``gan_score = mmd(generated, real) / mmd(reference, real)``, where ``real`` and
    ``reference`` are two independent samples of real sequences. Lower is better: about
    1 means the generated sample is as close to ``real`` as another real sample of the
    same size is; larger values mean the generator's distribution is measurably different.

    Args:
        generated: generated sequences ``(n, time, features)``.
        real: held-out real sequences ``(m, time, features)``.
        reference: another independent real sample, ideally with ``n`` sequences.
        bandwidths: the RBF bandwidths of :func:`mmd`.
    """
    baseline = mmd(reference, real, bandwidths)
    if baseline <= 0:
        raise ValueError("reference and real give an MMD of 0 (identical samples?); pass two independent real samples")
    return mmd(generated, real, bandwidths) / baseline


def dominant_frequency(x) -> np.ndarray:
    """The frequency (cycles per step) with the most power in each sequence's spectrum.

    Each sequence's mean is removed, then the peak of ``|rfft|^2`` over the non-zero
    frequencies ``k / time`` is returned; with 32 steps the resolution is 1/32 cycle per step.

    Args:
        x: sequences ``(batch, time, 1)``, at least 2 steps.

    Returns:
        ``(batch,)`` array of frequencies in ``(0, 0.5]``.
    """
    array = _sequences("x", x, features=1)[..., 0]
    if array.shape[1] < 2:
        raise ValueError(f"x needs at least 2 time steps for a spectrum, got shape {array.shape}")
    power = np.abs(np.fft.rfft(array - array.mean(axis=1, keepdims=True), axis=1)) ** 2
    frequencies = np.fft.rfftfreq(array.shape[1])
    return frequencies[1:][np.argmax(power[:, 1:], axis=1)]


# --------------------------------------------------------------------------- figures

def plot_sequences(samples: Mapping[str, np.ndarray], count: int = 6, title: str = ""):
    """Draw the first ``count`` sequences of each sample, one panel per sample.

    Args:
        samples: ``{label: sequences (batch, time, 1)}``.
        count: how many sequences per panel.
        title: the figure's title (default none).

    Returns:
        The Matplotlib figure.
    """
    import matplotlib.pyplot as plt

    if not isinstance(samples, Mapping) or not samples:
        raise TypeError(f"samples must be a non-empty mapping label -> sequences, got {type(samples).__name__}")
    count = check_int("count", count, min=1)
    fig, axes = plt.subplots(1, len(samples), figsize=(4.2 * len(samples), 3.0), sharey=True, squeeze=False)
    for ax, (label, x) in zip(axes[0], samples.items()):
        array = _sequences(label, x, features=1)
        for seq in array[:count, :, 0]:
            ax.plot(seq, lw=1.2)
        ax.set_title(label)
        ax.set_xlabel("time step")
    axes[0, 0].set_ylabel("value")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_gan_losses(history: Mapping[str, Sequence[float]], smooth: int = 1, title: str = ""):
    """Draw ``d_loss`` and ``g_loss`` per step, with their equilibrium values dashed.

    Args:
        history: the dict returned by :meth:`SequenceGAN.train`.
        smooth: average over windows of this many steps (1: raw values).
        title: the axes title (default none).

    Returns:
        The Matplotlib figure.
    """
    import matplotlib.pyplot as plt

    smooth = check_int("smooth", smooth, min=1)
    if not isinstance(history, Mapping) or not {"d_loss", "g_loss"} <= set(history):
        keys = sorted(history) if isinstance(history, Mapping) else type(history).__name__
        raise ValueError(f"history must be a mapping with 'd_loss' and 'g_loss' lists (as SequenceGAN.train returns), got {keys}")
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for key, color, equilibrium in (("d_loss", "C0", 2 * np.log(2)), ("g_loss", "C1", np.log(2))):
        values = np.asarray(history[key], dtype=np.float64)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"history[{key!r}] must be a non-empty list of numbers")
        if smooth > 1 and values.size >= smooth:
            values = np.convolve(values, np.ones(smooth) / smooth, mode="valid")
        ax.plot(np.arange(1, values.size + 1) + (smooth - 1), values, color=color, lw=1, label=key)
        ax.axhline(equilibrium, color=color, ls="--", lw=1)
    ax.set_xlabel("training step")
    ax.set_ylabel("loss")
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
