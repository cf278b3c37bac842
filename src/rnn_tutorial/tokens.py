"""Reserved token indices and the book's vocabulary sizes (a leaf module).

Every encoded review is a sequence of indices into the sentiment vocabulary, which
:func:`rnn_tutorial.text.training_vectorizer` fits on the training reviews: index
:data:`PAD` (``""``) is the padding the embedding masks, :data:`OOV` (``"[UNK]"``) every
word outside the vocabulary, and the words follow, most frequent first. The smaller
vocabularies of the language models are prefixes of the same list.
"""

VOCAB_SIZE = 20_000
"""Entries of the sentiment vocabulary, padding and OOV included (see the data-preparation chapter)."""
LM_VOCAB_SIZE = 2_000
"""Entries of the language model's vocabulary: the most frequent ``LM_VOCAB_SIZE``
entries of the same vectorizer; rarer words become the OOV index."""
REST_VOCAB_SIZE = 5_000
"""Words a rest-of-review model predicts: the most frequent ``REST_VOCAB_SIZE`` entries of
the sentiment vocabulary (padding and OOV included, never predicted)."""
PAD = 0
"""Index of the padding token (``""`` in the vocabulary)."""
OOV = 1
"""Index of the out-of-vocabulary token (``"[UNK]"`` in the vocabulary)."""
