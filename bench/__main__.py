import argparse
import asyncio

from bench import dispatch, intake, platform

AREAS = {"platform": platform.main, "intake": intake.main, "dispatch": dispatch.main}


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
    args = parser.parse_args()
    asyncio.run(AREAS[args.area](args))


if __name__ == "__main__":
    main()
