"""Interrupted training resumes from the last finished epoch, with the same result.

A small training script (written by the test into a temporary folder) trains a tiny
LSTM on seeded synthetic data for four epochs with the package's
:func:`~rnn_tutorial.training.training_callbacks` (whose ``BackupAndRestore`` saves
the state after every epoch). The test kills it with SIGKILL after an epoch, starts
it again, and checks that the second run starts from the saved epoch, not from zero,
and ends with the same final loss and weights as a run that was never interrupted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

EPOCHS = 4

SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path

    import keras
    import numpy as np

    from rnn_tutorial.environment import seed_everything
    from rnn_tutorial.training import training_callbacks

    workdir = Path(sys.argv[1])
    pause = float(sys.argv[2])  # seconds to wait after epoch 1 (0-based): the window to be killed in
    seed_everything(7)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6, 3)).astype("float32")
    y = (x.sum(axis=(1, 2)) > 0).astype("float32")
    model = keras.Sequential([keras.Input((6, 3)), keras.layers.LSTM(4), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy")


    class Report(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            record = {"epoch": epoch, "loss": float(logs["loss"])}
            with open(workdir / "epochs.jsonl", "a") as log:
                log.write(json.dumps(record) + "\\n")
            print(f"EPOCH {epoch}", flush=True)
            if epoch == 1:
                time.sleep(pause)


    # patience larger than the epochs: early stopping never ends the run early
    callbacks = training_callbacks(workdir / "checkpoints", patience=EPOCHS + 1, monitor="loss")
    model.fit(x, y, batch_size=16, epochs=EPOCHS, shuffle=False, verbose=0, callbacks=[*callbacks, Report()])
    weights = [w.tolist() for w in model.get_weights()]
    (workdir / "final.json").write_text(json.dumps({"loss": float(model.evaluate(x, y, verbose=0)), "weights": weights}))
    print("DONE", flush=True)
    """
).replace("EPOCHS", str(EPOCHS))


def _start(script: Path, workdir: Path, pause: float) -> subprocess.Popen:
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "",
           "OMP_NUM_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "TF_NUM_INTRAOP_THREADS": "1"}
    return subprocess.Popen([sys.executable, str(script), str(workdir), str(pause)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)


def _epochs(workdir: Path) -> list[dict]:
    path = workdir / "epochs.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def _run_to_end(script: Path, workdir: Path) -> dict:
    proc = _start(script, workdir, 0.0)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0 and "DONE" in out, out
    return json.loads((workdir / "final.json").read_text())


def test_killed_training_resumes_from_the_saved_epoch(tmp_path):
    """Kill after epoch 1 (0-based), restart, compare with an uninterrupted run.

    Tolerance: the final loss and every weight must agree to ``rtol=1e-5, atol=1e-6``.
    Both runs use the same seed, unshuffled data and TensorFlow's deterministic ops on
    one thread, so they compute the same operations in the same order; the resumed run
    restores the weights and the optimizer state exactly (float32) from the backup, so
    the only admissible difference is float32 round-off (about 1e-7 relative), which
    the tolerance leaves room for. A run that restarted from zero would also finish
    with these weights here (the data is fixed), which is why the epoch numbers are
    checked too: the restarted run must report no epoch before the saved one.
    """
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)

    workdir = tmp_path / "interrupted"
    workdir.mkdir()
    reference_dir = tmp_path / "reference"
    reference_dir.mkdir()
    # the uninterrupted run goes on beside the first, interrupted one
    reference_proc = _start(script, reference_dir, 0.0)
    proc = _start(script, workdir, 30.0)  # killed during its pause after epoch 1
    seen = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line.strip())
            if line.strip() == "EPOCH 1":
                # the pause starts after the epoch's backup; give the writer a moment
                time.sleep(1.0)
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert "EPOCH 1" in seen, f"the first run never finished epoch 1: {seen}"
    assert proc.returncode == -signal.SIGKILL
    assert not (workdir / "final.json").exists()
    assert (workdir / "checkpoints" / "backup").exists(), "BackupAndRestore left no backup to resume from"

    out, _ = reference_proc.communicate(timeout=120)
    assert reference_proc.returncode == 0 and "DONE" in out, out
    reference = json.loads((reference_dir / "final.json").read_text())
    assert [e["epoch"] for e in _epochs(reference_dir)] == list(range(EPOCHS))

    before = len(_epochs(workdir))
    resumed = _run_to_end(script, workdir)
    after_restart = [e["epoch"] for e in _epochs(workdir)[before:]]
    assert after_restart and after_restart[0] == 2, f"resumed run started at epoch {after_restart[:1]}, not 2"
    assert after_restart == list(range(2, EPOCHS))
    resumed_losses = [e["loss"] for e in _epochs(workdir)[before:]]
    np.testing.assert_allclose(resumed_losses, [e["loss"] for e in _epochs(reference_dir)[2:]], rtol=1e-5, atol=1e-6)
    assert not (workdir / "checkpoints" / "backup").exists(), "the backup must be deleted once training completes"

    np.testing.assert_allclose(resumed["loss"], reference["loss"], rtol=1e-5, atol=1e-6)
    for got, want in zip(resumed["weights"], reference["weights"]):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-5, atol=1e-6)
