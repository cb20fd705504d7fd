"""`python -m bench [--quick] [--only N ...]`: run every benchmark and print one table.

Each figure is printed beside a baseline measured in the same run (the machines are shared and
noisy, so ratios are what compare). Nothing here is a test: no figure can fail the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import time

from bench.common import Figure, machine, table

# (figure number, module): each module has `async def run(quick: bool) -> list[Figure]`.
BENCHMARKS: tuple[tuple[int, str], ...] = (
    (1, "bench.capture_storage"),
    (2, "bench.capture_e2e"),
    (3, "bench.reminders"),
    (4, "bench.commands"),
    (5, "bench.export"),
    (6, "bench.startup"),
    (7, "bench.export_load"),
    (10, "bench.calendar_feed"),
    (14, "bench.dm_burst"),
)


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller data sets, for a fast look")
    parser.add_argument("--only", type=int, nargs="*", help="run only these figure numbers")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    # simcord builds a throwaway discord.py client when imported: its notes about voice support and
    # intents concern that client, not the bots measured here.
    for name in ("discord.client", "discord.state"):
        logging.getLogger(name).setLevel(logging.ERROR)
    figures: list[Figure] = []
    started = time.perf_counter()
    for number, module_name in BENCHMARKS:
        if args.only and number not in args.only:
            continue
        module = importlib.import_module(module_name)
        print(f"running figure {number} ({module_name}) ...", flush=True)
        figures.extend(await module.run(quick=args.quick))
    print()
    print(f"Machine: {machine()}; total {time.perf_counter() - started:.0f} s{' (quick)' if args.quick else ''}")
    print()
    print(table(figures))


if __name__ == "__main__":
    asyncio.run(main())
