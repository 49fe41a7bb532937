"""``python -m services.dispatch``: serve, or the ``user`` and ``roster`` command lines."""

import sys

from services.dispatch.app import create_app
from services.dispatch.settings import DispatchSettings
from shared.service import run

if __name__ == "__main__":
    if sys.argv[1:2] == ["user"]:
        from services.dispatch.accounts.cli import main

        sys.exit(main(sys.argv[2:]))
    if sys.argv[1:2] == ["roster"]:
        from services.dispatch.roster.cli import main as roster_main

        sys.exit(roster_main(sys.argv[2:]))
    run(create_app, DispatchSettings)
