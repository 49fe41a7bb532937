import sys

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.service import run

if __name__ == "__main__":
    if sys.argv[1:2] == ["apikey"]:
        from services.intake.admin import main

        sys.exit(main(sys.argv[2:]))
    if sys.argv[1:2] == ["corrections"]:
        from services.intake.corrections import main as export

        sys.exit(export(sys.argv[2:]))
    run(create_app, IntakeSettings)
