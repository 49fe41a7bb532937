"""``trc``: the one command-line entry point (``trc up``, ``trc broker``, ``trc migrate`` …)."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from shared.logging import configure_logging
from trc.embedded.broker import EmbeddedBroker
from trc.embedded.stack import SERVICES, Stack


class _Stop(Exception):
    """SIGTERM/SIGINT: stop the stack in order."""


def _raise_stop(_signum: int, _frame: FrameType | None) -> None:
    raise _Stop


def _stop_only_once() -> None:
    """Once the stack is stopping, a second Ctrl-C or SIGTERM (``timeout`` sends one after the
    first, a service manager may too) must not cut the stop short and leave the broker or the
    stand-in running: further stop signals are ignored until every process is down."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# The demo's teams answer within seconds; shorter acknowledgment deadlines let a newcomer see a
# missed one escalated and reassigned within minutes (an explicit setting still wins).
DEMO_SETTINGS = {
    "TRC_DISPATCH_ACK_P1_SECONDS": "60",
    "TRC_DISPATCH_ACK_P2_SECONDS": "90",
    "TRC_DISPATCH_ACK_P3_SECONDS": "120",
    "TRC_DISPATCH_ACK_P4_SECONDS": "180",
}


def cmd_up(args: argparse.Namespace) -> int:
    if args.demo:
        for name, value in DEMO_SETTINGS.items():
            os.environ.setdefault(name, value)
    stack = Stack(
        data_dir=Path(args.data_dir).resolve(),
        broker_port=args.broker_port,
        spares=not args.no_spares,
    )
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)  # also when started in the background
    demo: subprocess.Popen[bytes] | None = None
    try:
        print("TRC Dispatch: memulai / starting …", flush=True)
        stack.start()
        ready = stack.wait_ready(timeout=args.ready_timeout)
        _print_addresses(stack, ready)
        if args.demo:
            demo = _start_demo(stack, args)
        while True:
            for line in stack.supervise_once():
                print(f"[trc] {line}", flush=True)
            time.sleep(0.2)  # a dead service is noticed (and restarted) within this
    except (KeyboardInterrupt, _Stop):
        print("\n[trc] menghentikan / stopping …", flush=True)
        return 0
    finally:
        _stop_only_once()
        if demo is not None and demo.poll() is None:
            demo.terminate()
            try:
                demo.wait(10)
            except subprocess.TimeoutExpired:
                demo.kill()
        stack.stop()
        print("[trc] berhenti / stopped", flush=True)


def _start_demo(stack: Stack, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    """The demo scenario played against the stack just started; its lines go to this terminal."""
    command = [sys.executable, "-m", "trc.simulator", "--scenario", args.demo,
               "--days", str(args.demo_days), "--speed", str(args.demo_speed),
               "--settle", "600", "--data-dir", str(stack.data_dir)]  # fmt: skip
    dispatch = next(c for c in stack.children if c.name == "dispatch")
    print(
        f"[trc] demo: skenario {args.demo} ×{args.demo_speed:g}. Papan supervisor / supervisor "
        f"board: {dispatch.url}/konsol (masuk sebagai admin); Telegram: lihat di atas",
        flush=True,
    )
    return subprocess.Popen(command, env=stack.environment())


def _print_addresses(stack: Stack, ready: bool) -> None:
    state = "siap / ready" if ready else "BELUM SIAP / NOT READY (see the logs)"
    broker = (
        f"{stack.broker.bootstrap} (embedded Tansu, memory engine, "
        f"cluster {stack.broker.cluster_id})"
        if stack.broker
        else os.environ.get("TRC_KAFKA_BOOTSTRAP", "?") + " (external)"
    )
    print(f"\nTRC Dispatch {state}")
    print(f"  Kafka broker        {broker}")
    for child in stack.children:
        if child.name == "telegram":
            print(f"  telegram (lokal)    {child.url}   (each team's chat; press its buttons)")
            continue
        print(
            f"  {child.name:<19} {child.url}   API docs {child.url}/docs   "
            f"health {child.url}/readyz"
        )
    intake = next((c for c in stack.children if c.name == "intake"), None)
    if intake is not None:
        print(f"  halaman call center {intake.url}/laporan   (call-center page)")
    if stack.admin_password_file.exists():
        print(
            f"  masuk / sign in     admin, kata sandi / password: {stack.admin_password_file} "
            "(first start; add accounts with `trc user create`)"
        )
    print(f"  databases           {stack.data_dir} (SQLite, one file per service)")
    print(f"  logs                {stack.log_dir}")
    print("Ctrl-C menghentikan semuanya / stops everything.\n", flush=True)


def cmd_broker(args: argparse.Namespace) -> int:
    broker = EmbeddedBroker(port=args.port).start()
    print(f"Kafka broker (embedded Tansu) on {broker.bootstrap}, cluster id {broker.cluster_id}")
    print(f"Use it with: TRC_KAFKA_BOOTSTRAP={broker.bootstrap}. Ctrl-C stops it.", flush=True)
    signal.signal(signal.SIGTERM, _raise_stop)
    try:
        while broker.alive():
            time.sleep(0.5)
        print("broker exited", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        _stop_only_once()
        broker.stop()


def cmd_migrate(args: argparse.Namespace) -> int:
    names = args.services or list(SERVICES)
    env = {**os.environ, "TRC_DATA_DIR": str(Path(args.data_dir).resolve())}
    for name in names:
        subprocess.run([sys.executable, "-m", f"services.{name}", "migrate"], env=env, check=True)
    return 0


def cmd_makemigration(args: argparse.Namespace) -> int:
    return subprocess.call(
        [sys.executable, "-m", f"services.{args.service}", "makemigration", "-m", args.message]
    )


# Commands that hand their arguments on to a service's own command line (which has the help).
# ``main`` starts them without building the whole parser, whose imports cost about 0.8 s of CPU
# a call: a department's set-up is a few dozen `trc user` / `trc roster` / `trc apikey` calls.
HANDED_ON = {
    "apikey": ("services.intake", "apikey"),
    "user": ("services.dispatch", "user"),
    "roster": ("services.dispatch", "roster"),
}


def hand_on(command: str, rest: list[str]) -> int:
    module, action = HANDED_ON[command]
    return subprocess.call([sys.executable, "-m", module, action, *rest])


def cmd_apikey(args: argparse.Namespace) -> int:
    return hand_on("apikey", args.rest)


def cmd_user(args: argparse.Namespace) -> int:
    return hand_on("user", args.rest)


def cmd_roster(args: argparse.Namespace) -> int:
    return hand_on("roster", args.rest)


def cmd_serve(args: argparse.Namespace) -> int:
    return subprocess.call([sys.executable, "-m", f"services.{args.service}", "serve"])


def cmd_triage(args: argparse.Namespace) -> int:
    """The triage corpus and model: split (once), train, export operators' corrections."""
    from trc.triage import corpus, train

    if args.action == "split":
        dev, held = corpus.split()
        print(f"development set {dev} texts, held-out set {held} texts")
    elif args.action == "train":
        built = train.train([Path(p) for p in args.extra])
        print(f"{built['texts']} texts, {built['features']} features → {train.MODEL} "
              f"({built['bytes'] // 1024} KiB)")  # fmt: skip
    else:
        command = [sys.executable, "-m", "services.intake", "corrections", args.file]
        return subprocess.call(command + (["--region", args.region] if args.region else []))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    return subprocess.call([sys.executable, "-m", "bench", args.area, *args.rest])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trc", description="TRC Dispatch")
    sub = parser.add_subparsers(dest="command", required=True)
    default_data = os.environ.get("TRC_DATA_DIR", "data")

    up = sub.add_parser("up", help="start the embedded stack: broker + four services + SQLite")
    up.add_argument("--data-dir", default=default_data)
    up.add_argument("--broker-port", type=int, default=int(os.environ.get("TRC_BROKER_PORT", 9092)))
    up.add_argument("--ready-timeout", type=float, default=90.0)
    up.add_argument(
        "--no-spares",
        action="store_true",
        help="no warm spare per service (saves ~110 MB each; a killed service then needs a cold "
        "start, a few seconds more, before it answers again)",
    )
    up.add_argument(
        "--demo",
        nargs="?",
        const="batam",
        default=None,
        metavar="SCENARIO",
        help="play a scenario against the stack (default batam; see trc simulate --list)",
    )
    up.add_argument("--demo-speed", type=float, default=180.0, help="simulated s per real s")
    up.add_argument("--demo-days", type=float, default=2.0)
    up.set_defaults(func=cmd_up)

    broker = sub.add_parser("broker", help="start only the embedded Kafka-protocol broker")
    broker.add_argument("--port", type=int, default=int(os.environ.get("TRC_BROKER_PORT", 9092)))
    broker.set_defaults(func=cmd_broker)

    migrate = sub.add_parser("migrate", help="create/upgrade every service's database tables")
    migrate.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(SERVICES))
    migrate.add_argument("--data-dir", default=default_data)
    migrate.set_defaults(func=cmd_migrate)

    makemigration = sub.add_parser(
        "makemigration", help="write a service's next migration from its models (autogenerate)"
    )
    makemigration.add_argument("service", choices=list(SERVICES))
    makemigration.add_argument("-m", "--message", required=True)
    makemigration.set_defaults(func=cmd_makemigration)

    apikey = sub.add_parser(
        "apikey",
        help="integration API keys: apikey create --name N --region 21.71 | list | revoke ID",
    )
    apikey.add_argument("rest", nargs=argparse.REMAINDER)
    apikey.set_defaults(func=cmd_apikey)

    user = sub.add_parser(
        "user", help="staff accounts: create NAME --role call_center --region 21.71 | list"
    )
    user.add_argument("rest", nargs=argparse.REMAINDER)
    user.set_defaults(func=cmd_user)
    roster = sub.add_parser(
        "roster", help="shifts, CSV import of teams/members/roster, who is on duty: roster --help"
    )
    roster.add_argument("rest", nargs=argparse.REMAINDER)
    roster.set_defaults(func=cmd_roster)

    triage = sub.add_parser(
        "triage", help="triage corpus and model: split | train [--extra F] | export F"
    )
    triage_sub = triage.add_subparsers(dest="action", required=True)
    triage_sub.add_parser("split", help="split corpus/triage/source-*.jsonl once (dev, held-out)")
    retrain = triage_sub.add_parser("train", help="build intake's model from the dev set")
    retrain.add_argument("--extra", action="append", default=[], help="a department's JSONL too")
    export = triage_sub.add_parser("export", help="operators' triage decisions as corpus lines")
    export.add_argument("file")
    export.add_argument("--region")
    triage.set_defaults(func=cmd_triage)
    serve = sub.add_parser("serve", help="run one service in the foreground")
    serve.add_argument("service", choices=list(SERVICES))
    serve.set_defaults(func=cmd_serve)

    bench = sub.add_parser("bench", help="run a benchmark: trc bench platform")
    bench.add_argument("area")
    bench.add_argument("rest", nargs=argparse.REMAINDER)
    bench.set_defaults(func=cmd_bench)

    from trc.deadletters.cli import add_dlt_parser

    add_dlt_parser(sub)  # trc dlt list | inspect | replay

    from trc import backup, manifests, topics
    from trc.region import cli as region
    from trc.simulator import cli as simulator

    for register in (
        topics.register, manifests.register, backup.register, simulator.register, region.register
    ):  # fmt: skip
        register(sub)  # trc topics create | manifests | backup | restore | simulate | region

    from trc.docs import docsgen

    docsgen.register(sub)  # trc docs [--check]: asyncapi, openapi, configuration.md
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in HANDED_ON:
        return hand_on(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    configure_logging(os.environ.get("TRC_LOG_LEVEL", "WARNING"))
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
