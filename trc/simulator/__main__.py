"""``python -m trc.simulator --scenario batam``: play a scenario against a running stack."""

import argparse
import sys

from trc.simulator.cli import add_arguments, cmd_simulate

parser = argparse.ArgumentParser(prog="python -m trc.simulator")
add_arguments(parser)
sys.exit(cmd_simulate(parser.parse_args()))
