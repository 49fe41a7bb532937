from services.notify.app import create_app
from services.notify.settings import NotifySettings
from shared.service import run

if __name__ == "__main__":
    run(create_app, NotifySettings)
