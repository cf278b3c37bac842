"""Tests of rnn_tutorial.distribution: data parallelism on two virtual CPU devices.

Each backend runs in a subprocess, because the CPU must be split into two devices
before the backend initializes (JAX: ``XLA_FLAGS``; TensorFlow: logical devices).
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

TRAIN = textwrap.dedent("""
    import json
    import keras
    import numpy as np
    from rnn_tutorial.distribution import data_parallel, replicas
    from rnn_tutorial.models import sentiment_model
    from rnn_tutorial.pipeline import BucketedBatches

    rng = np.random.default_rng(0)
    seqs = [rng.integers(1, 100, n).astype("int32") for n in rng.integers(5, 60, 128)]
    labels = rng.integers(0, 2, 128).astype("float32")
    strategy = data_parallel()
    with strategy.scope():
        keras.utils.set_random_seed(0)
        model = sentiment_model(vocab_size=100, embedding_dim=8, units=4)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        before = [np.array(w) for w in model.get_weights()]
        history = model.fit(BucketedBatches(seqs, labels, batch_size=32, pad_multiple=16, seed=1), epochs=1, verbose=0)
    moved = any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))
    print(json.dumps({"kind": type(strategy).__name__, "replicas": replicas(strategy), "loss": history.history["loss"],
                      "moved": moved, "placement": placement(model)}))
""")

JAX = """
def placement(model):
    return len(model.get_layer("embedding").embeddings.value.sharding.device_set)
""" + TRAIN

TENSORFLOW = """
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

def placement(model):
    return len(model.get_layer("embedding").embeddings.value.values)  # a MirroredVariable's copies
""" + TRAIN


def run_on_two_devices(backend: str, script: str) -> dict:
    env = {**os.environ, "KERAS_BACKEND": backend, "XLA_FLAGS": "--xla_force_host_platform_device_count=2",
           "JAX_PLATFORMS": "cpu", "CUDA_VISIBLE_DEVICES": ""}
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("backend, script, kind", [
    pytest.param("jax", JAX, "DataParallel", marks=pytest.mark.backend_pass("jax")),
    pytest.param("tensorflow", TENSORFLOW, "MirroredStrategy", marks=pytest.mark.backend_pass("tensorflow")),
])
def test_trains_data_parallel_on_two_cpu_devices(backend, script, kind):
    out = run_on_two_devices(backend, script)
    assert out["kind"] == kind
    assert out["replicas"] == 2
    assert out["placement"] == 2            # the weights live on both devices
    assert np.isfinite(out["loss"]).all() and out["moved"]


def test_data_parallel_validates_devices():
    from rnn_tutorial.distribution import data_parallel, replicas

    with pytest.raises(ValueError, match="devices must be a non-empty list"):
        data_parallel([])
    with pytest.raises(TypeError, match="expected a keras DataParallel"):
        replicas(object())
