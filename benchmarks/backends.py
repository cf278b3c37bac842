"""TensorFlow against JAX on this machine, for the book's recurrent models.

Each measurement is a fresh Python process with one Keras backend (a process cannot
switch backends), training one of the book's models on the same real reviews in the same
length-bucketed batches (the package's pipeline, with each backend's default batch-width
rounding): one epoch that compiles, then one timed epoch. The processes alternate
(TensorFlow, JAX, then JAX, TensorFlow, ...) so a busy neighbour slows both alike, and each
backend's figure is the median over the rounds. Records ``results/bench/backends.json``:
per model, reviews per second in the timed epoch, the seconds of the first (compiling)
epoch, and the ratio JAX / TensorFlow of the timed rates (above 1: JAX is faster).

    python benchmarks/backends.py                  # 3 models x 2 backends x 2 rounds
    python benchmarks/backends.py --rounds 3 --reviews 1024
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

MODELS = ("lstm", "gru", "bigru_pooled")
BACKENDS = ("tensorflow", "jax")


def worker(args) -> int:
    """One backend, one model: print a JSON line with the two epochs' timings."""
    from rnn_tutorial.environment import quiet_logs

    quiet_logs()
    import keras
    import numpy as np

    from rnn_tutorial.configs import variant
    from rnn_tutorial.models import sentiment_model
    from rnn_tutorial.pipeline import BucketedBatches
    from rnn_tutorial.profiles import get_profile
    from rnn_tutorial.text import encoded_imdb, training_encoder

    profile = get_profile(args.profile)
    train = encoded_imdb("train", training_encoder())
    pick = np.random.default_rng(args.seed)
    index = np.sort(pick.choice(len(train), args.reviews, replace=False))
    batches = BucketedBatches([train.sequences[i] for i in index], train.labels[index].astype("float32"),
                              batch_size=profile.batch_size, max_len=profile.max_len, shuffle=True, seed=args.seed)
    keras.utils.set_random_seed(args.seed)
    model = sentiment_model(name=args.model, **variant(args.model).options())
    model.compile(optimizer=keras.optimizers.Adam(1e-3, clipnorm=1.0), loss="binary_crossentropy")
    seconds = []
    for _ in range(2):
        start = time.perf_counter()
        for i in range(len(batches)):
            x, y = batches[i]
            model.train_on_batch(x, y)
        seconds.append(time.perf_counter() - start)
        batches.on_epoch_end()
    print(json.dumps({"backend": keras.backend.backend(), "model": args.model, "first_epoch_s": seconds[0],
                      "reviews_per_s": args.reviews / seconds[1]}))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every (model, backend) pair (default 2)")
    parser.add_argument("--reviews", type=int, default=512, help="training reviews per epoch (default 512)")
    parser.add_argument("--profile", default="laptop", help="profile giving max_len and batch_size (default laptop)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--no-record", action="store_true", help="print only, do not write results/bench/")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--model", default="lstm", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    if args.rounds < 1 or args.reviews < 64:
        parser.error("--rounds must be >= 1 and --reviews >= 64 (one batch)")

    from rnn_tutorial.book.benchmarks import now, write_bench_record

    started = now()
    runs = {(m, b): [] for m in args.models for b in BACKENDS}
    for r in range(args.rounds):
        for model in args.models:
            order = BACKENDS if r % 2 == 0 else BACKENDS[::-1]
            for backend in order:
                env = dict(os.environ, KERAS_BACKEND=backend)
                out = subprocess.run([sys.executable, __file__, "--worker", "--model", model, "--reviews",
                                      str(args.reviews), "--profile", args.profile, "--seed", str(args.seed)],
                                     env=env, capture_output=True, text=True)
                if out.returncode != 0:
                    print(out.stderr[-2000:], file=sys.stderr)
                    raise SystemExit(f"the {backend} worker for {model} failed (exit {out.returncode})")
                result = json.loads(out.stdout.strip().splitlines()[-1])
                assert result["backend"] == backend, result
                runs[(model, backend)].append(result)
                print(f"round {r + 1}: {model:13s} {backend:10s} first epoch {result['first_epoch_s']:6.1f} s, "
                      f"then {result['reviews_per_s']:7.1f} reviews/s", flush=True)
    metrics = {}
    print("\n| model | TensorFlow reviews/s | JAX reviews/s | JAX / TensorFlow | first epoch TF s | first epoch JAX s |")
    print("|---|---:|---:|---:|---:|---:|")
    for model in args.models:
        rate = {b: statistics.median(x["reviews_per_s"] for x in runs[(model, b)]) for b in BACKENDS}
        first = {b: statistics.median(x["first_epoch_s"] for x in runs[(model, b)]) for b in BACKENDS}
        metrics.update({f"{model}_tensorflow_reviews_per_s": rate["tensorflow"], f"{model}_jax_reviews_per_s": rate["jax"],
                        f"{model}_jax_over_tensorflow": rate["jax"] / rate["tensorflow"],
                        f"{model}_tensorflow_first_epoch_s": first["tensorflow"], f"{model}_jax_first_epoch_s": first["jax"]})
        print(f"| {model} | {rate['tensorflow']:.1f} | {rate['jax']:.1f} | {rate['jax'] / rate['tensorflow']:.2f} | "
              f"{first['tensorflow']:.1f} | {first['jax']:.1f} |")
    if not args.no_record:
        from rnn_tutorial.profiles import get_profile

        profile = get_profile(args.profile)
        path = write_bench_record("backends", args.profile, started, metrics, settings={
            "rounds": args.rounds, "reviews": args.reviews, "max_len": profile.max_len,
            "batch_size": profile.batch_size, "models": list(args.models), "backends": list(BACKENDS)})
        print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
