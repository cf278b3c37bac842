"""Tests of rnn_tutorial.ngram: the add-one unigram and Kneser-Ney bigram reference models."""

import math

import numpy as np
import pytest

from rnn_tutorial.ngram import NgramLM, ngram_perplexity

# A hand-computable corpus, vocabulary {0, 1, 2, 3, 4}: the stream 2 3 2 4 2 3 as one window.
X = np.array([[2, 3, 2, 4, 2]])
Y = np.array([[3, 2, 4, 2, 3]])        # pairs (2,3) x2, (3,2), (2,4), (4,2)
V = 5


def markov_stream(n, vocab_size=40, seed=0):
    """A stream from a sparse random Markov chain (4 successors per word), and its transition matrix."""
    rng = np.random.default_rng(seed)
    transition = np.zeros((vocab_size, vocab_size))
    for v in range(vocab_size):
        successors = rng.choice(np.arange(2, vocab_size), size=4, replace=False)
        transition[v, successors] = rng.dirichlet(np.ones(4))
    stream = np.empty(n + 1, np.int64)
    stream[0] = 2
    uniforms = rng.random(n)
    cumulative = np.cumsum(transition, axis=1)
    for t in range(n):
        stream[t + 1] = min(np.searchsorted(cumulative[stream[t]], uniforms[t], side="right"), vocab_size - 1)
    return stream, transition


def windows(stream, window):
    n = (len(stream) - 1) // window
    return stream[: n * window].reshape(n, window), stream[1 : n * window + 1].reshape(n, window)


@pytest.mark.parametrize("order", [1, 2])
def test_probabilities_sum_to_one_and_are_positive(order):
    stream, _ = markov_stream(5_000, vocab_size=60, seed=1)
    x, y = windows(stream, 20)
    model = NgramLM(vocab_size=80, order=order).fit(x, y)    # ids 60..79 never occur
    contexts = [int(x[0, 0]), int(x[3, 7]), 0, 1, 61, 79]   # seen and unseen contexts
    for context in contexts:
        p = model.probabilities(context)
        assert p.shape == (80,) and p.dtype == np.float64
        assert math.isclose(p.sum(), 1.0, rel_tol=1e-12)
        assert p.min() > 0
    # log_prob agrees with probabilities
    lp = model.log_prob(x[:2], y[:2])
    assert lp.shape == (2, 20)
    assert np.allclose(np.exp(lp[1, 5]), model.probabilities(int(x[1, 5]))[y[1, 5]])


def test_unigram_matches_hand_computation():
    # target counts: c(2)=2, c(3)=2, c(4)=1, N=5; P(w) = (c(w)+1)/(N+V) = (c+1)/10
    model = NgramLM(V, order=1).fit(X, Y)
    assert np.allclose(model.probabilities(2), [0.1, 0.1, 0.3, 0.3, 0.2])
    assert np.allclose(model.probabilities(0), model.probabilities(4))   # no context
    # validation pairs (2,3), (3,2): cross-entropy -(log .3 + log .3)/2, perplexity 1/0.3
    assert math.isclose(model.perplexity([2, 3], [3, 2]), 1 / 0.3)
    assert math.isclose(ngram_perplexity(X, Y, [[2, 3]], [[3, 2]], V, order=1), 1 / 0.3)


def test_kneser_ney_matches_hand_computation():
    # D = 0.75. Distinct pairs N1+(..) = 4. Distinct left contexts N1+(.w): w=2: {3,4} -> 2,
    # w=3: {2} -> 1, w=4: {2} -> 1; 3 words seen, so the uniform share is D*3/V = 0.45.
    # P_cont = (max(N1+(.w) - D, 0) + 0.45) / 4:
    #   P_cont(2) = (1.25 + 0.45)/4 = 0.425, P_cont(3) = P_cont(4) = 0.7/4 = 0.175,
    #   P_cont(0) = P_cont(1) = 0.45/4 = 0.1125                      (sum: 1)
    model = NgramLM(V, order=2, discount=0.75).fit(X, Y)
    p_cont = np.array([0.1125, 0.1125, 0.425, 0.175, 0.175])
    # Context 2: c(2) = 3, followers {3, 4}, lambda = 0.75*2/3 = 0.5.
    #   P(3|2) = (2 - 0.75)/3 + 0.5*0.175 = 121/240, P(4|2) = (1 - 0.75)/3 + 0.5*0.175 = 41/240,
    #   P(2|2) = 0.5*0.425 = 51/240, P(0|2) = P(1|2) = 0.5*0.1125 = 13.5/240
    assert np.allclose(model.probabilities(2), np.array([13.5, 13.5, 51, 121, 41]) / 240)
    # Context 3: c(3) = 1, one follower, lambda = 0.75: P(2|3) = 0.25 + 0.75*0.425 = 0.56875
    assert math.isclose(model.probabilities(3)[2], 0.56875)
    assert np.allclose(model.probabilities(3), 0.75 * p_cont + np.array([0, 0, 0.25, 0, 0]))
    # Unseen contexts 0 and 1: the continuation distribution itself
    assert np.allclose(model.probabilities(1), p_cont)
    # Validation (2,3), (3,2), (1,4): cross-entropy is the mean of -log p
    expected = -(math.log(121 / 240) + math.log(0.56875) + math.log(0.175)) / 3
    assert math.isclose(model.cross_entropy([2, 3, 1], [3, 2, 4]), expected)
    assert math.isclose(ngram_perplexity(X, Y, [[2, 3, 1]], [[3, 2, 4]], V), math.exp(expected))


def test_bigram_beats_unigram_on_a_markov_chain():
    stream, transition = markov_stream(60_000, seed=2)
    x, y = windows(stream[:50_001], 50)
    vx, vy = windows(stream[50_000:], 50)
    unigram = ngram_perplexity(x, y, vx, vy, 40, order=1)
    bigram = ngram_perplexity(x, y, vx, vy, 40, order=2)
    true = math.exp(-np.mean(np.log(transition[vx, vy])))     # the chain's own perplexity
    assert bigram < 0.5 * unigram
    assert true <= bigram < 1.05 * true                        # close to the best possible


def test_perplexity_on_a_deterministic_sequence_approaches_its_minimum():
    cycle = np.arange(2, 12)                                   # 2 3 ... 11 2 3 ...: next word is certain
    stream = np.tile(cycle, 2_001)
    previous = math.inf
    for n in (100, 1_000, 20_000):
        x, y = stream[:n], stream[1 : n + 1]
        bigram = NgramLM(12).fit(x, y).perplexity(x, y)
        assert 1.0 < bigram < previous
        previous = bigram
    assert bigram < 1.001                                      # minimum 1: lost mass D / c(v) -> 0
    unigram = NgramLM(12, order=1).fit(x, y).perplexity(x, y)
    assert 10.0 < unigram < 10.01                              # minimum 10: uniform over the cycle


def test_scales_without_a_dense_matrix():
    # A dense V x V float matrix would need 8 TB here.
    rng = np.random.default_rng(3)
    x = rng.integers(0, 1_000_000, size=(50, 20))
    y = rng.integers(0, 1_000_000, size=(50, 20))
    model = NgramLM(1_000_000).fit(x, y)
    assert math.isclose(model.probabilities(int(x[0, 0])).sum(), 1.0)
    assert 0 < model.cross_entropy(x, y) < math.log(1_000_000)


def test_repr_and_unfitted_model():
    model = NgramLM(V)
    assert "not fitted" in repr(model)
    with pytest.raises(RuntimeError, match="fit"):
        model.perplexity(X, Y)
    assert "5 tokens" in repr(model.fit(X, Y))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"vocab_size": 2.5}, TypeError, "vocab_size must be an integer"),
    ({"vocab_size": True}, TypeError, "vocab_size must be an integer"),
    ({"vocab_size": 1}, ValueError, "vocab_size must be an integer >= 2, got 1"),
    ({"order": "2"}, TypeError, "order must be an integer"),
    ({"order": 3}, ValueError, "order must be 1 .* or 2 .*, got 3"),
    ({"discount": "0.75"}, TypeError, "discount must be a number"),
    ({"discount": 1.0}, ValueError, r"discount must be a number in \(0, 1\).*got 1.0"),
    ({"discount": 0}, ValueError, r"discount must be a number in \(0, 1\).*got 0.0"),
    ({"discount": float("nan")}, ValueError, "discount must be a number"),
])
def test_constructor_validation(kwargs, error, match):
    with pytest.raises(error, match=match):
        NgramLM(**{"vocab_size": V, **kwargs})


@pytest.mark.parametrize("x, y, error, match", [
    (X, Y[:, :4], ValueError, r"x and y must have the same shape, got \(1, 5\) and \(1, 4\)"),
    (X.astype(float), Y, TypeError, "x must hold integer token ids, got dtype float64"),
    (X, "2 3", TypeError, "y must be an integer array of token ids, got str"),
    (np.zeros((1, 0), int), np.zeros((1, 0), int), ValueError, "x must hold at least one token id"),
    (X, Y + 2, ValueError, r"y holds token id 6, outside \[0, vocab_size\) = \[0, 5\)"),
    (X - 3, Y, ValueError, r"x holds token id -1, outside \[0, vocab_size\)"),
    (X[None], Y[None], ValueError, r"x must be 1-D .* or 2-D .*, got shape \(1, 1, 5\)"),
])
@pytest.mark.parametrize("order", [1, 2])
def test_data_validation(x, y, error, match, order):
    with pytest.raises(error, match=match):
        NgramLM(V, order=order).fit(x, y)
    fitted = NgramLM(V, order=order).fit(X, Y)
    with pytest.raises(error, match=match):
        fitted.perplexity(x, y)


def test_context_validation_and_convenience_function_arguments():
    model = NgramLM(V).fit(X, Y)
    with pytest.raises(ValueError, match=r"context must be a token id in \[0, vocab_size\) = \[0, 5\), got 5"):
        model.probabilities(5)
    with pytest.raises(TypeError, match="context must be an integer"):
        model.probabilities(2.0)
    with pytest.raises(ValueError, match="val_x must hold at least one token id"):
        ngram_perplexity(X, Y, np.zeros(0, int), np.zeros(0, int), V)
    with pytest.raises(ValueError, match=r"train_x and train_y must have the same shape"):
        ngram_perplexity(X, Y[:, 1:], X, Y, V)
    with pytest.raises(ValueError, match=r"val_y holds token id 5"):
        ngram_perplexity(X, Y, X, Y + 1, V, order=1)
    with pytest.raises(ValueError, match="order must be"):
        ngram_perplexity(X, Y, X, Y, V, order=0)
