"""Every backend: data preparation without TensorFlow gives the same token ids.

The pure-Python text path (:func:`rnn_tutorial.text.standardize_text`,
:class:`~rnn_tutorial.text.TextEncoder`, :func:`~rnn_tutorial.text.count_vocabulary`) is
compared with the ``TextVectorization`` path on real reviews and on edge cases, and a
subprocess with ``KERAS_BACKEND=jax`` and TensorFlow blocked prepares data, trains and
predicts strings.
"""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from rnn_tutorial import text
from rnn_tutorial.data import load_imdb

EDGE_CASES = [
    "\x00bad", "a\x00b good", "x\x01y\x1fz\x7fw", "<br /><br />", "!!!???",
    "A <br />GREAT film... isn't it?", "Bad.<br /><br />'Really' bad!", "<BR/>a< br / >b<br>c<br   />d<bR\t/>e",
    "İstanbul ΣΑΣ ὈΔΥΣΣΕΎΣ straße ǅungla ΌΣΟΣ ΣΣ.Σ", "café cafe\u0301 naïve Ωmega µ K Å ﬁne",
    "½ Ⅻ ² ٣ 3rd $100 50% #1 @user", "emoji 😀👍🏽 fine", "nbsp\u00a0here\u2003em\u2028ls\u200bzw\u00adsoft",
    "tab\tvt\vff\fcr\rnl\n", "''quoted'' 'tis rock'n'roll dogs' ' '' '", "don't won’t l'amour dʼoh I'M",
    "a--b...c!!!d???", "", "   ", "'", "中文字符 日本語 한국어", "ＦＵＬＬ ǈ ǋ ᾼ ᾈ", "a'b'c 'a' 'b'",
]


@pytest.fixture(scope="module")
def reviews():
    """3,000 real reviews (HTML, non-ASCII, punctuation) plus the edge cases."""
    texts = load_imdb("train").texts + load_imdb("test").texts
    pick = np.random.default_rng(0).choice(len(texts), 3000, replace=False)
    chosen = [texts[i] for i in pick]
    odd = [t for t in texts if any(ord(c) > 127 for c in t)][:300]   # every review with non-ASCII is kept apart
    return chosen + odd + EDGE_CASES


def test_reviews_cover_the_edge_cases(reviews):
    assert sum("<br" in t for t in reviews) > 500
    assert sum(any(ord(c) > 127 for c in t) for t in reviews) >= 300
    assert sum("'" in t for t in reviews) > 1000


def test_standardize_text_equals_tensorflow(reviews):
    expected = []
    for start in range(0, len(reviews), 1000):
        expected += text.standardize(reviews[start:start + 1000])   # the TensorFlow path
    got = [text.standardize_text(t) for t in reviews]
    mismatches = [(t, e, g) for t, e, g in zip(reviews, expected, got) if e != g]
    assert not mismatches, mismatches[:3]


def test_token_ids_equal_textvectorization(reviews):
    vectorizer = text.training_vectorizer()
    assert type(vectorizer).__name__ == "TextVectorization"
    expected = text.encode(vectorizer, reviews)
    vocab = text.vocabulary(vectorizer)
    got = text.encode_texts(vocab, reviews)
    assert len(got) == len(expected)
    for e, g, t in zip(expected, got, reviews):
        assert g.dtype == np.int32 and np.array_equal(e, g), t[:200]
    encoder = text.training_encoder()
    assert encoder.get_vocabulary() == vocab
    assert text.vocabulary_hash(encoder) == text.vocabulary_hash(vectorizer)  # same encoded_imdb cache key
    dense = np.asarray(vectorizer(reviews[:50]))
    assert np.array_equal(encoder(reviews[:50]), dense[:, : encoder(reviews[:50]).shape[1]])


def test_count_vocabulary_equals_adapt_ties_included():
    texts = ["b a c", "a b", "d e f", "c c", "é é x", "y z", "Z"]   # many ties at the cutoff
    for max_tokens in (3, 5, 8, 50):
        vectorizer = text.fit_vectorizer(texts, max_tokens=max_tokens)
        assert text.count_vocabulary(texts, max_tokens=max_tokens) == text.vocabulary(vectorizer)[2:]


def test_count_vocabulary_reproduces_the_book_vocabulary():
    """The vocabulary counted in pure Python on the 25,000 training reviews is the cached one."""
    words = text.count_vocabulary(load_imdb("train").texts)
    assert ["", "[UNK]"] + words == text.vocabulary(text.training_vectorizer())


def test_text_encoder_validates():
    with pytest.raises(ValueError, match="must start with the padding"):
        text.TextEncoder(["the", "film"])
    with pytest.raises(TypeError, match="list of strings"):
        text.TextEncoder("the film")
    encoder = text.TextEncoder(["", "[UNK]", "the", "film"])
    assert encoder(["The film", "a film", ""]).tolist() == [[2, 3], [1, 3], [0, 0]]
    with pytest.raises(TypeError, match="single str"):
        encoder.encode("The film")
    with pytest.raises(TypeError, match="must be a str"):
        text.standardize_text(3)


JAX_WITHOUT_TENSORFLOW = textwrap.dedent("""
    import json, sys
    sys.modules["tensorflow"] = None          # TensorFlow is "not installed"
    import keras
    import numpy as np
    from rnn_tutorial import text
    from rnn_tutorial.models import sentiment_model
    from rnn_tutorial.pipeline import BucketedBatches
    from rnn_tutorial.training import predict_proba

    assert keras.backend.backend() == "jax"
    assert not text.tensorflow_available()
    encoder = text.training_vectorizer()       # the cached vocabulary, no TextVectorization
    test = text.encoded_imdb("test", encoder)  # the cache written with TensorFlow is reused
    seqs, labels = test.sequences[:256], test.labels[:256]
    keras.utils.set_random_seed(0)
    model = sentiment_model(embedding_dim=16, units=8)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(BucketedBatches(seqs, labels, batch_size=64, max_len=100, pad_multiple=32, seed=1),
                        epochs=1, verbose=0)
    reviews = ["A wonderful film!", "Awful.<br />Just awful, don't watch it."]
    ids = text.encode_texts(encoder.get_vocabulary(), reviews)
    probs = predict_proba(model, BucketedBatches(ids, None, batch_size=8, shuffle=False))
    print(json.dumps({"encoder": type(encoder).__name__, "n_test": len(test), "loss": history.history["loss"],
                      "ids": [i.tolist() for i in ids], "probs": probs.tolist(),
                      "standardized": text.standardize(reviews),
                      "tensorflow_loaded": sys.modules.get("tensorflow") is not None}))
""")


@pytest.mark.backend_pass("jax")
def test_jax_without_tensorflow_prepares_trains_and_predicts():
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    proc = subprocess.run([sys.executable, "-c", JAX_WITHOUT_TENSORFLOW], env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["encoder"] == "TextEncoder" and not out["tensorflow_loaded"]
    assert out["n_test"] == 25000
    assert np.isfinite(out["loss"]).all()
    assert len(out["probs"]) == 2 and all(0.0 <= p <= 1.0 for p in out["probs"])
    reviews = ["A wonderful film!", "Awful.<br />Just awful, don't watch it."]
    assert out["standardized"] == text.standardize(reviews)       # same as the TensorFlow path here
    assert out["ids"] == [ids.tolist() for ids in text.encode(text.training_vectorizer(), reviews)]
