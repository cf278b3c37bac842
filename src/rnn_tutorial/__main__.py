"""``python -m rnn_tutorial`` runs the chapter runner."""

import sys

from .book.cli import main

sys.exit(main())
