import argparse
import sys

from shared.simulator.cli import add_arguments, cmd_simulate

parser = argparse.ArgumentParser(prog="python -m shared.simulator")
add_arguments(parser)
sys.exit(cmd_simulate(parser.parse_args()))
