from services.dispatch.app import create_app
from services.dispatch.settings import DispatchSettings
from shared.service import run

if __name__ == "__main__":
    run(create_app, DispatchSettings)
