from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from shared.service import run

if __name__ == "__main__":
    run(create_app, IntakeSettings)
