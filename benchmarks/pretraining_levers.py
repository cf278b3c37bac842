"""What each lever of the rest-of-review recipe buys, measured on validation only.

The pretraining chapter fine-tunes a ``bigru_pooled`` classifier from an encoder
pretrained to predict the words of the other half of each review. Its CPU budget allows
one recipe; this benchmark measures the levers around it, so the chapter can show what
each bought and chose its recipe on validation (the test reviews are never read here):

- passes over the pretraining text: fine-tune after pass 1, pretrain one more pass, and
  fine-tune again from there;
- fine-tuning epochs: the validation accuracy after each epoch, up to ``--epochs``, with
  the training chapter's protocol (early stopping on the validation loss);
- averaging the weights of the two best consecutive epochs (no extra training);
- reading whole reviews at prediction time (the pooled reader was trained on the last
  ``max_len`` tokens but can read any length).

Records ``results/bench/pretraining_levers.json`` (metrics and settings; the profile's
data and the chapter's seed)::

    python benchmarks/pretraining_levers.py                # laptop profile, 2 passes, 5 epochs
    python benchmarks/pretraining_levers.py --profile ci --no-record
"""

from __future__ import annotations

import argparse
import sys
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="laptop")
    parser.add_argument("--passes", type=int, default=2, help="pretraining passes (default 2)")
    parser.add_argument("--epochs", type=int, default=5, help="most fine-tuning epochs after each pass (default 5)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--no-record", action="store_true", help="print only, do not write results/bench/")
    args = parser.parse_args(argv)
    if args.passes < 1 or args.epochs < 1:
        parser.error("--passes and --epochs must be at least 1")

    from rnn_tutorial import setup
    from rnn_tutorial.book.benchmarks import now, write_bench_record

    started = now()
    run = setup(args.profile, chapter="08_pretraining", seed=args.seed, show=True)
    import keras
    import numpy as np

    from rnn_tutorial.configs import variant
    from rnn_tutorial.data import load_imdb
    from rnn_tutorial.imdb import load_run_data
    from rnn_tutorial.models import copy_pretrained, rest_of_review_model, sentiment_model
    from rnn_tutorial.pipeline import WordSetBatches
    from rnn_tutorial.tasks import rest_of_review_pairs
    from rnn_tutorial.text import encode
    from rnn_tutorial.tokens import REST_VOCAB_SIZE
    from rnn_tutorial.training import (checkpoint_dir, compile_sentiment, predict_proba, review_batches,
                                       training_callbacks)

    P = run.profile
    data = load_run_data(run)
    train, splits = data.train, data.splits
    unsup_texts = load_imdb("unsup").texts
    n_unsup = len(unsup_texts) if P.train_size is None else min(len(unsup_texts), P.train_size)
    pretrain_sequences = encode(data.vectorizer, unsup_texts[:n_unsup]) + [train.sequences[i] for i in splits.train]
    config = variant("bigru_pooled")
    encoder_names = ("embedding", f"bidirectional_{config.cell}")
    keras.utils.set_random_seed(run.seed)
    rest_x, rest_words = rest_of_review_pairs(pretrain_sequences, vocab_size=REST_VOCAB_SIZE, max_len=P.max_len // 2)
    rest_vx, rest_vwords = rest_of_review_pairs([train.sequences[i] for i in splits.val], vocab_size=REST_VOCAB_SIZE,
                                                max_len=P.max_len // 2)
    rest_model = rest_of_review_model(cell=config.cell, bidirectional=config.bidirectional, pooling=config.pooling,
                                      target_vocab=REST_VOCAB_SIZE)
    rest_model.compile(optimizer=keras.optimizers.Adam(learning_rate=2e-3, clipnorm=1.0),
                       loss=keras.losses.CategoricalCrossentropy(from_logits=True))
    pretrain_batches = WordSetBatches(rest_x, rest_words, REST_VOCAB_SIZE, batch_size=P.batch_size, shuffle=True,
                                      seed=run.seed)
    pretrain_val = WordSetBatches(rest_vx, rest_vwords, REST_VOCAB_SIZE, batch_size=256, shuffle=False)
    train_b = review_batches(train, splits.train, P, shuffle=True, seed=run.seed)
    val_b = review_batches(train, splits.val, P, shuffle=False, seed=run.seed, batch_size=256)
    val_whole = review_batches(train, splits.val, P, shuffle=False, seed=run.seed, batch_size=64, max_len=4096)
    val_y = train.labels[splits.val]

    class EpochWeights(keras.callbacks.Callback):
        """Keep each epoch's weights and its duration."""

        def on_train_begin(self, logs=None):
            self.weights, self.seconds = [], []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)
            self.weights.append([np.array(w) for w in self.model.get_weights()])

    def accuracy(probs):
        return float(np.mean((probs >= 0.5) == val_y))

    metrics = {}
    pretrain_seconds = 0.0
    for p in range(1, args.passes + 1):
        start = time.perf_counter()
        history = rest_model.fit(pretrain_batches, validation_data=pretrain_val, epochs=1, verbose=2)
        pretrain_seconds += time.perf_counter() - start
        metrics[f"pass{p}_pretraining_seconds"] = pretrain_seconds
        metrics[f"pass{p}_pretraining_val_loss"] = float(history.history["val_loss"][-1])
        keras.utils.set_random_seed(run.seed)
        model = sentiment_model(name=f"levers_pass{p}", **config.options())
        copy_pretrained(rest_model, model, encoder_names)
        compile_sentiment(model, len(train_b))
        snapshots = EpochWeights()
        fitted = model.fit(train_b, validation_data=val_b, epochs=args.epochs, verbose=2,
                           callbacks=training_callbacks(checkpoint_dir(run, f"levers_pass{p}"), patience=1)
                           + [snapshots])
        h = fitted.history
        best = int(np.argmin(h["val_loss"]))
        for e, (acc, seconds) in enumerate(zip(h["val_accuracy"], np.cumsum(snapshots.seconds)), start=1):
            metrics[f"pass{p}_epoch{e}_val_accuracy"] = float(acc)
            metrics[f"pass{p}_epoch{e}_seconds"] = float(seconds)
        metrics[f"pass{p}_best_epoch"] = best + 1
        metrics[f"pass{p}_val_accuracy"] = accuracy(predict_proba(model, val_b))     # restored best weights
        metrics[f"pass{p}_whole_review_val_accuracy"] = accuracy(predict_proba(model, val_whole))
        if best >= 1:
            pair = snapshots.weights[best - 1], snapshots.weights[best]
            model.set_weights([(a + b) / 2 for a, b in zip(*pair)])
            metrics[f"pass{p}_averaged_val_accuracy"] = accuracy(predict_proba(model, val_b))
        print({k: v for k, v in metrics.items() if k.startswith(f"pass{p}")}, flush=True)
    if not args.no_record:
        path = write_bench_record("pretraining_levers", args.profile, started, metrics, settings={
            "passes": args.passes, "epochs": args.epochs, "seed": run.seed, "variant": "bigru_pooled",
            "backend": run.backend, "max_len": P.max_len, "whole_review_max_len": 4096,
            "pretraining_reviews": len(pretrain_sequences), "protocol": "training chapter's fit_sentiment protocol"})
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
