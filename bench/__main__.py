import argparse
import asyncio

from bench import platform

AREAS = {"platform": platform.main}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("area", choices=sorted(AREAS))
    parser.add_argument("--events", type=int, default=20000, help="events per throughput run")
    parser.add_argument("--latency-samples", type=int, default=300)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    asyncio.run(AREAS[args.area](args))


if __name__ == "__main__":
    main()
