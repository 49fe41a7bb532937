"""``python -m trc.embedded.telegram --port 8081``: the Telegram Bot API stand-in."""

import argparse
import os

import uvicorn

from shared.service import QuietServer
from trc.embedded.telegram.app import STOP_GRACE_S, create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m trc.embedded.telegram")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("TRC_TELEGRAM_STANDIN_PORT", 8081))
    )
    args = parser.parse_args()
    print(
        f"Telegram stand-in on http://{args.host}:{args.port} (Bot API at /bot<token>/…)",
        flush=True,
    )
    config = uvicorn.Config(
        create_app(),
        host=args.host,
        port=args.port,
        log_level="warning",
        timeout_graceful_shutdown=STOP_GRACE_S,
    )
    QuietServer(config).run()


if __name__ == "__main__":
    main()
