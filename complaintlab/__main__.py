"""``python -m complaintlab``: the same as the ``complaintlab`` command."""

import sys

from complaintlab.cli import main

sys.exit(main())
