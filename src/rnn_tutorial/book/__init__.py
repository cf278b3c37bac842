"""The machinery that executes, checks and publishes the book (not used by the chapters).

- :mod:`~rnn_tutorial.book.bands`: the ci profile's reference metrics and their bands,
  measured from several seeds, and the check that fresh metrics stay inside them.
- :mod:`~rnn_tutorial.book.nbval_share`: how many outputs ``pytest --nbval`` compares.
"""
