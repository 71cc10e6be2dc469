# Vendored from runtime/__main__.py by `make generate`: edit that file, never this copy.
"""`python -m highlevel_contacts`: the command line (see cli.py), with the extra `highlevel-contacts[cli]`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
