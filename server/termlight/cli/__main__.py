"""``python -m termlight.cli``, as the tests run it."""

import sys

from termlight.cli import main

sys.exit(main())
