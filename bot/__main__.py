"""`python -m bot` is the `foreman` command."""

import sys

from bot.cli import main

sys.exit(main())
