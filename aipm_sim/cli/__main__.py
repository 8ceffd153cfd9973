"""``python -m aipm_sim.cli``: the same as the ``aipm-sim`` command."""

import sys

from . import main

sys.exit(main())
