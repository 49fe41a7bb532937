from services.shelter.app import create_app
from services.shelter.settings import ShelterSettings
from shared.service import run

if __name__ == "__main__":
    run(create_app, ShelterSettings)
