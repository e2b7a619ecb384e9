"""``python -m mlp``: see :mod:`mlp.tools.cli`."""

import sys

from .tools.cli import main

sys.exit(main())
