"""rnn_tutorial.tokens: the reserved indices and vocabulary sizes every module shares."""

from rnn_tutorial import tokens


def test_reserved_indices_and_nested_vocabularies():
    assert (tokens.PAD, tokens.OOV) == (0, 1)
    assert 2 < tokens.LM_VOCAB_SIZE < tokens.REST_VOCAB_SIZE < tokens.VOCAB_SIZE


def test_text_and_pipeline_use_the_same_constants():
    from rnn_tutorial import pipeline, text

    assert text.PAD is tokens.PAD and text.VOCAB_SIZE is tokens.VOCAB_SIZE and pipeline.PAD is tokens.PAD
