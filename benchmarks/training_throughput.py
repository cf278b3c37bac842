"""Length-bucketed batches against padding every review to max_len: same model, same data.

Trains the book's LSTM sentiment model (``models.sentiment_model``) twice from the same
initial weights on the same training reviews:

* ``bucketed``: the package pipeline, :class:`rnn_tutorial.pipeline.BucketedBatches`
  (each batch padded to its own longest review);
* ``padded``: the naive pipeline, every review padded (and truncated) to the profile's
  ``max_len``, NumPy arrays shuffled by ``model.fit`` (masking skips the padding in the
  result, not in the work).

The two are alternated batch by batch on the same machine (A B B A A B ...), each batch
timed with its preparation, so a busy neighbour slows both alike; the first epoch of
each (compilation) is not timed. Both see every training review once per epoch. Then
both are evaluated on the same test reviews. Records
``results/bench/training_throughput.json`` (metric ``bucketing_speedup``).

    python benchmarks/training_throughput.py                 # defaults: see --help
    python benchmarks/training_throughput.py --train-size 2000 --epochs 2   # quicker
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="laptop", help="profile giving max_len and batch_size (default laptop)")
    parser.add_argument("--train-size", type=int, default=10000, help="training reviews (default 10000)")
    parser.add_argument("--test-size", type=int, default=10000, help="test reviews evaluated (default 10000)")
    parser.add_argument("--epochs", type=int, default=3, help="epochs of each pipeline (default 3; epoch 1 is not timed)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--no-record", action="store_true", help="print only, do not write results/bench/")
    args = parser.parse_args(argv)
    if args.epochs < 2:
        parser.error("--epochs must be at least 2: the first epoch compiles and is not timed")

    from rnn_tutorial.environment import quiet_logs

    quiet_logs()
    import keras

    from rnn_tutorial.book.benchmarks import now, write_bench_record
    from rnn_tutorial.environment import backend_name, device_description
    from rnn_tutorial.models import sentiment_model
    from rnn_tutorial.pipeline import BucketedBatches, pad_sequences
    from rnn_tutorial.profiles import get_profile
    from rnn_tutorial.text import encoded_imdb, training_vectorizer

    started = now()
    profile = get_profile(args.profile)
    vectorizer = training_vectorizer()
    train, test = encoded_imdb("train", vectorizer), encoded_imdb("test", vectorizer)
    pick = np.random.default_rng(args.seed)          # random, hence mixed-label, subsets
    train_idx = np.sort(pick.choice(len(train), args.train_size, replace=False))
    test_idx = np.sort(pick.choice(len(test), args.test_size, replace=False))
    max_len, batch_size, truncating = profile.max_len, profile.batch_size, "pre"
    x_train = [train.sequences[i] for i in train_idx]
    y_train = train.labels[train_idx].astype("float32")
    x_test = [test.sequences[i] for i in test_idx]
    y_test = test.labels[test_idx].astype("float32")
    jax = backend_name() == "jax"
    pad_multiple = 32 if jax else 1   # bounds the number of compiled shapes under XLA

    def compiled_model():
        keras.utils.set_random_seed(args.seed)          # same initial weights for both pipelines
        model = sentiment_model()
        model.compile(optimizer=keras.optimizers.Adam(1e-3, clipnorm=1.0), loss="binary_crossentropy",
                      metrics=["accuracy"])
        return model

    bucketed = BucketedBatches(x_train, y_train, batch_size=batch_size, max_len=max_len, truncating=truncating,
                               shuffle=True, seed=args.seed, pad_multiple=pad_multiple)
    padded_x = pad_sequences(x_train, max_len=max_len, padding="post", truncating=truncating)
    shuffle = np.random.default_rng(args.seed)

    def padded_batches():
        """The naive pipeline: a fresh permutation each epoch, every batch max_len wide."""
        perm = shuffle.permutation(len(padded_x))
        return [perm[i:i + batch_size] for i in range(0, len(perm), batch_size)]

    models = {"bucketed": compiled_model(), "padded": compiled_model()}
    seconds = {name: 0.0 for name in models}
    reviews = {name: 0 for name in models}
    print(f"{backend_name()} on {device_description()}: {len(x_train):,} training reviews, {len(x_test):,} test "
          f"reviews, max_len {max_len} (profile {profile.name}), batch {batch_size}, {args.epochs} epochs each; "
          f"the two pipelines alternate batch by batch (A B B A A B ...), batch preparation included in the timing; "
          f"epoch 1 (compilation) not timed", flush=True)
    for epoch in range(1, args.epochs + 1):
        naive = padded_batches()
        assert len(naive) == len(bucketed)
        took = {name: 0.0 for name in models}
        for i in range(len(naive)):
            for name in (("bucketed", "padded") if i % 2 else ("padded", "bucketed")):
                start = time.perf_counter()
                if name == "bucketed":
                    x, y = bucketed[i]
                else:
                    x, y = padded_x[naive[i]], y_train[naive[i]]
                models[name].train_on_batch(x, y)
                took[name] += time.perf_counter() - start
                if epoch > 1:
                    reviews[name] += len(y)
        bucketed.on_epoch_end()
        if epoch > 1:
            for name in models:
                seconds[name] += took[name]
        print(f"  epoch {epoch}: " + ", ".join(f"{name} {took[name]:6.1f} s ({len(x_train) / took[name]:6.1f} reviews/s)"
                                              for name in models), flush=True)

    accuracy = {}
    test_batches = BucketedBatches(x_test, None, batch_size=256, max_len=max_len, truncating=truncating,
                                   shuffle=False, pad_multiple=pad_multiple)
    probs = np.empty(len(x_test))
    probs[test_batches.order] = np.asarray(models["bucketed"].predict(test_batches, verbose=0)).reshape(-1)
    accuracy["bucketed"] = float(np.mean((probs >= 0.5) == y_test))
    padded_test = pad_sequences(x_test, max_len=max_len, padding="post", truncating=truncating)
    probs = np.asarray(models["padded"].predict(padded_test, batch_size=256, verbose=0)).reshape(-1)
    accuracy["padded"] = float(np.mean((probs >= 0.5) == y_test))

    rate = {name: reviews[name] / seconds[name] for name in models}
    speedup = rate["bucketed"] / rate["padded"]
    real = float(np.minimum(train.lengths[train_idx], max_len).sum())
    steps = {"bucketed": bucketed.padded_steps(), "padded": len(x_train) * max_len}
    print()
    print(f"| pipeline | reviews/s | padded time steps per epoch | test accuracy ({len(x_test):,} reviews) |")
    print("|---|---:|---:|---:|")
    for name in ("bucketed", "padded"):
        print(f"| {name} | {rate[name]:,.1f} | {steps[name]:,} | {accuracy[name]:.4f} |")
    print(f"\nbucketing speedup {speedup:.2f}x (target >= 1.5x); accuracy difference "
          f"{100 * (accuracy['bucketed'] - accuracy['padded']):+.2f} points (target within 0.5); "
          f"real tokens are {real / steps['padded']:.0%} of the padded steps")
    metrics = {
        "bucketing_speedup": speedup,
        "bucketed_reviews_per_s": rate["bucketed"],
        "padded_reviews_per_s": rate["padded"],
        "bucketed_test_accuracy": accuracy["bucketed"],
        "padded_test_accuracy": accuracy["padded"],
        "accuracy_difference_points": 100 * (accuracy["bucketed"] - accuracy["padded"]),
        "bucketed_padded_steps_share": steps["bucketed"] / steps["padded"],
    }
    settings = {"train_size": len(x_train), "test_size": len(x_test), "epochs": args.epochs, "timed_epochs": args.epochs - 1,
                "max_len": max_len, "batch_size": batch_size, "truncating": truncating, "pad_multiple": pad_multiple,
                "seed": args.seed, "alternated": "batch by batch (train_on_batch), order swapped every batch"}
    if not args.no_record:
        path = write_bench_record("training_throughput", profile.name, started, metrics, settings)
        print(f"recorded {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
