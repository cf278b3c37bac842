"""Tests of rnn_tutorial.baseline (the TF-IDF bigram baseline) and rnn_tutorial.leaderboard."""


import numpy as np
import pytest
from rnn_tutorial.baseline import bigram_baseline, bigram_pipeline

POS = ["a great film, I loved it", "wonderful acting and a great story", "loved it, truly wonderful",
       "great great fun", "not bad at all, wonderful"]
NEG = ["a terrible film, I hated it", "awful acting and a boring story", "hated it, truly awful",
       "boring boring mess", "terrible, not good at all"]


def test_bigram_baseline_learns_and_chooses_c_on_validation():
    texts, labels = POS + NEG, [1] * 5 + [0] * 5
    result = bigram_baseline(texts * 2, labels * 2, texts, labels, C_grid=(0.5, 8.0))
    assert set(result.val_accuracy) == {0.5, 8.0} and result.C in result.val_accuracy
    assert result.val_accuracy[result.C] == max(result.val_accuracy.values())
    assert result.score(["a great wonderful film", "an awful boring film"], [1, 0]) == 1.0
    assert result.features > 0 and result.seconds > 0
    # bigrams are features: "not bad" is one of them
    assert "not bad" in result.pipeline.named_steps["tfidfvectorizer"].vocabulary_ or result.features > 10


def test_bigram_baseline_strips_line_breaks():
    vocab = bigram_pipeline().named_steps["tfidfvectorizer"].fit(["good<br />film", "good <br/> film"]).vocabulary_
    assert "br" not in vocab


@pytest.mark.parametrize("args, error, match", [
    (("a text", [1], ["x"], [1]), TypeError, "train_texts"),
    ((["a", 3], [1, 0], ["x"], [1]), TypeError, "train_texts"),
    ((["a", "b"], [1], ["x"], [1]), ValueError, "labels"),
])
def test_bigram_baseline_validates(args, error, match):
    with pytest.raises(error, match=match):
        bigram_baseline(*args)
    with pytest.raises(ValueError, match="C"):
        bigram_pipeline(C=0)


def test_linear_probe_separates_informative_from_uninformative_features():
    from rnn_tutorial.baseline import linear_probe

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 600)
    informative = rng.normal(size=(600, 5)) * 1e-3            # tiny scale: standardization must rescue it
    informative[:, 0] += 2e-3 * (2 * y - 1)
    noise = rng.normal(size=(600, 5))
    acc, C = linear_probe(informative[:400], y[:400], informative[400:], y[400:])
    assert acc > 0.9 and C in (0.01, 0.1, 1.0)
    acc_noise, _ = linear_probe(noise[:400], y[:400], noise[400:], y[400:])
    assert acc_noise < 0.65


def test_linear_probe_rejects_bad_input():
    from rnn_tutorial.baseline import linear_probe

    x, y = np.zeros((10, 3)), np.array([0, 1] * 5)
    with pytest.raises(ValueError, match="equal widths"):
        linear_probe(x, y, np.zeros((4, 2)), y[:4])
    with pytest.raises(ValueError, match="labels must match"):
        linear_probe(x, y[:9], x, y)
    x_nan = x.copy()
    x_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        linear_probe(x_nan, y, x, y)
    with pytest.raises(ValueError, match="positive"):
        linear_probe(x, y, x, y, C_grid=(0.0,))
