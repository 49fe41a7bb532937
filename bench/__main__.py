import argparse
import asyncio

from bench import console, dispatch, e2e, intake, notify, platform, shelter, triage

AREAS = {
    "platform": platform.main,
    "intake": intake.main,
    "dispatch": dispatch.main,
    "notify": notify.main,
    "shelter": shelter.main,
    "console": console.main,
    "e2e": e2e.main,
    "triage": triage.main,
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("area", choices=sorted(AREAS))
    parser.add_argument("--events", type=int, default=20000, help="events per throughput run")
    parser.add_argument("--latency-samples", type=int, default=300)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--reports", type=int, default=2000, help="intake: reports per run")
    parser.add_argument("--concurrency", type=int, default=8, help="intake: HTTP clients")
    parser.add_argument(
        "--regions", type=int, default=500, help="dispatch: regions (10 teams each)"
    )
    parser.add_argument("--rate", type=float, default=20, help="notify: steady assignments/s")
    parser.add_argument(
        "--seconds", type=float, default=15, help="notify, console, e2e: run length"
    )
    parser.add_argument("--chats", type=int, default=50, help="notify: team group chats")
    parser.add_argument("--backlog", type=int, default=1000, help="notify: messages to drain")
    parser.add_argument(
        "--group-seconds",
        type=float,
        default=None,
        help="notify: one group's incidents offered this long (default: 8 × --seconds)",
    )
    parser.add_argument(
        "--group-offered", type=float, default=60, help="notify: incidents/min offered to one group"
    )
    parser.add_argument("--cases", type=int, default=1_000_000, help="shelter: cases in 5 years")
    parser.add_argument("--open-incidents", type=int, default=5000, help="console: board load")
    parser.add_argument("--teams", type=int, default=100, help="e2e: teams, one group each")
    parser.add_argument(
        "--rest-seconds",
        type=float,
        default=30,
        help="e2e: CPU of the stack at rest measured this long (once its consumers are idle)",
    )
    parser.add_argument(
        "--idle-after",
        type=float,
        default=None,
        help="e2e: seconds without a record before a consumer fetches at its idle pace "
        "(TRC_KAFKA_FETCH_IDLE_AFTER_S; default: the setting's)",
    )
    parser.add_argument(
        "--offered", type=float, default=60, help="e2e: reports/s offered to find the maximum"
    )
    parser.add_argument(
        "--restart-rounds", type=int, default=2, help="dispatch: kills per service (0: none)"
    )
    parser.add_argument(
        "--set", choices=["heldout", "dev"], default="heldout", help="triage: which texts"
    )
    parser.add_argument("--cv", type=int, default=0, help="triage --set dev: folds")
    parser.add_argument(
        "--by-writer", action="store_true",
        help="triage --set dev: each writer's texts read by a model of the other writers'",
    )  # fmt: skip
    args = parser.parse_args()
    asyncio.run(AREAS[args.area](args))


if __name__ == "__main__":
    main()
