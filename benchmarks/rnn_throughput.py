"""LSTM training throughput (tokens per second) against sequence length and batch size.

One training step (forward and backward pass, Adam update) of the book's sentiment
model (``models.sentiment_model``: embedding, LSTM, dense) on random token batches of
``batch`` reviews of ``time`` tokens, for every cell of a grid. The grid is measured
twice, the second time in reverse order, and each cell keeps its faster pass, so a busy
neighbour on a shared machine disturbs the table less. One extra cell repeats the
middle of the grid with ``recurrent_dropout`` (which rules out the fused cuDNN kernel on
a GPU). Records ``results/bench/rnn_throughput.json``; the "Do GPUs help RNNs?" page
shows it with :func:`rnn_tutorial.book.benchmarks.rnn_throughput_table`.

    python benchmarks/rnn_throughput.py            # a few minutes on 2 CPU cores
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default="25,50,100,200,400", help="time steps (default 25,50,100,200,400)")
    parser.add_argument("--batches", default="1,8,32,128", help="batch sizes (default 1,8,32,128)")
    parser.add_argument("--seconds", type=float, default=1.0, help="measured time per cell and pass (default 1.0)")
    parser.add_argument("--no-record", action="store_true", help="print only, do not write results/bench/")
    args = parser.parse_args(argv)
    lengths = [int(v) for v in args.lengths.split(",")]
    batches = [int(v) for v in args.batches.split(",")]

    from rnn_tutorial.environment import quiet_logs

    quiet_logs()
    import keras

    from rnn_tutorial.book.benchmarks import now, rnn_throughput_table, write_bench_record
    from rnn_tutorial.environment import backend_name, device_description
    from rnn_tutorial.models import VOCAB_SIZE, sentiment_model

    started = now()
    rng = np.random.default_rng(0)

    def make(recurrent_dropout: float = 0.0):
        keras.utils.set_random_seed(0)
        model = sentiment_model()
        if recurrent_dropout:
            # the same architecture with recurrent dropout on the LSTM's hidden state
            config = model.get_config()
            for layer in config["layers"]:
                if layer["class_name"] == "LSTM":
                    layer["config"]["recurrent_dropout"] = recurrent_dropout
            model = keras.Sequential.from_config(config)
        model.compile(optimizer="adam", loss="binary_crossentropy")
        return model

    def tokens_per_s(model, time_steps: int, batch: int) -> float:
        x = rng.integers(1, VOCAB_SIZE, (batch, time_steps)).astype("int32")
        y = rng.integers(0, 2, (batch, 1)).astype("float32")
        model.train_on_batch(x, y)                     # compile this shape, untimed
        steps, start = 0, time.perf_counter()
        while steps < 2 or time.perf_counter() - start < args.seconds:
            model.train_on_batch(x, y)
            steps += 1
        return batch * time_steps * steps / (time.perf_counter() - start)

    print(f"{backend_name()} on {device_description()}: sentiment_model training steps, "
          f"lengths {lengths}, batches {batches}, best of 2 passes of >= {args.seconds} s per cell", flush=True)
    model = make()
    cells = [(t, b) for t in lengths for b in batches]
    best = {}
    for order in (cells, cells[::-1]):
        for t, b in order:
            best[t, b] = max(best.get((t, b), 0.0), tokens_per_s(model, t, b))
    mid = (lengths[len(lengths) // 2], batches[len(batches) // 2])
    dropout_model = make(recurrent_dropout=0.2)
    plain, dropped = [], []
    for _ in range(2):                                 # alternated: plain, dropout, plain, dropout
        plain.append(tokens_per_s(model, *mid))
        dropped.append(tokens_per_s(dropout_model, *mid))

    metrics = {f"tokens_per_s_t{t}_b{b}": v for (t, b), v in best.items()}
    metrics["batch_speedup_longest"] = best[lengths[-1], batches[-1]] / best[lengths[-1], batches[0]]
    metrics["recurrent_dropout_slowdown"] = max(plain) / max(dropped)
    settings = {"lengths": lengths, "batches": batches, "seconds_per_cell": args.seconds, "passes": 2,
                "model": "sentiment_model()", "recurrent_dropout_cell": {"time": mid[0], "batch": mid[1], "rate": 0.2}}
    record = {"metrics": metrics, "device": device_description(), "backend": backend_name(),
              "started": started.isoformat(timespec="seconds")}
    print(rnn_throughput_table(record))
    print(f"batch {batches[-1]} vs batch {batches[0]} at {lengths[-1]} steps: {metrics['batch_speedup_longest']:.1f}x "
          f"the tokens per second; tokens per second without / with recurrent_dropout=0.2 at {mid[0]} steps, "
          f"batch {mid[1]}: {metrics['recurrent_dropout_slowdown']:.2f}")
    if not args.no_record:
        path = write_bench_record("rnn_throughput", "bench", started, metrics, settings)
        print(f"recorded {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
