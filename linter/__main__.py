"""``python -m linter`` runs the same program as the ``liferay-ha-lint`` script."""

from __future__ import annotations

import sys

from linter.cli import main

if __name__ == "__main__":
    sys.exit(main())
