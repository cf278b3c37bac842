"""``python -m rnn_tutorial`` runs the chapter runner."""

import sys

from .runner import main

sys.exit(main())
