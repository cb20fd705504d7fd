"""Mutation testing of one pure rules module against its own tests (mutmut; not part of CI).

    python tools/mutate.py cogs/contributions/_rules.py            # one module
    python tools/mutate.py cogs/core/timefmt.py --max-children 2
    python tools/mutate.py --all                                   # every module, one after another
    python tools/mutate.py cogs/capture/_rules.py --survivors      # also print each survivor's diff

A module ``cogs/<feature>/_rules.py`` is tested by ``tests/test_<feature>_rules*.py`` and
``cogs/core/timefmt.py`` by ``tests/test_core_timefmt*.py``: the fast plain-value tests, so a module
takes minutes. mutmut reads its settings from ``[tool.mutmut]`` in pyproject.toml; this script copies
the project into ``mutants/<module>/`` (git-ignored), adds ``only_mutate`` and the test selection
to that copy's section, runs ``mutmut run`` there and prints the score counting every mutant:
(killed + timeout) / all. Each run starts afresh: mutmut keeps a survivor's verdict even after new
tests are added to a file it already knows, so its cache is not reused.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = (
    "cogs/contributions/_rules.py",
    "cogs/core/timefmt.py",
    "cogs/capture/_rules.py",
    "cogs/reminders/_rules.py",
    "cogs/agenda/_rules.py",
    "cogs/meetings/_rules.py",
    "cogs/reports/_rules.py",
    "cogs/setup/_rules.py",
    "cogs/attendance/_rules.py",
    "cogs/calendar/_rules.py",
)
COPIED = ("cogs", "storage", "config", "tests", "bot.py")
KILLED = ("killed", "timeout", "caught by type check")


def tests_for(module: str) -> list[str]:
    parts = Path(module).parts
    if parts[-1] == "_rules.py":
        pattern = f"test_{parts[-2]}_rules*.py"
    else:
        pattern = f"test_{parts[-2]}_{Path(parts[-1]).stem}*.py"
    found = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob(pattern))
    if not found:
        sys.exit(f"mutate: no tests/{pattern} for {module}")
    return found


def _toml_value(value: object) -> str:
    # The section holds strings, numbers, booleans and lists of strings: JSON spells them as TOML does.
    return json.dumps(value) if not isinstance(value, bool) else str(value).lower()


def prepare(module: str) -> Path:
    """A scratch copy of the project whose [tool.mutmut] mutates only ``module``."""
    work = ROOT / "mutants" / module.removesuffix(".py").replace("/", ".")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source, target = ROOT / name, work / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        else:
            shutil.copy2(source, target)
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    section = dict(tomllib.loads(text)["tool"]["mutmut"])
    section["only_mutate"] = [module]
    section["pytest_add_cli_args_test_selection"] = tests_for(module)
    body = "\n".join(f"{key} = {_toml_value(value)}" for key, value in section.items())
    text = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)
    (work / "pyproject.toml").write_text(f"{text.rstrip()}\n\n[tool.mutmut]\n{body}\n", "utf-8")
    return work


def mutmut(work: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", *args], cwd=work, text=True, capture_output=True, check=False
    )
    if done.returncode != 0:
        (work / "mutmut.log").write_text(done.stdout + done.stderr, "utf-8")
        sys.exit(f"mutate: mutmut {' '.join(args)} failed (status {done.returncode}); see {work / 'mutmut.log'}")
    return done.stdout


def run(module: str, max_children: int, survivors: bool) -> tuple[int, int, list[str]]:
    work = prepare(module)
    print(f"== {module} against {', '.join(tests_for(module))}", flush=True)
    mutmut(work, "run", "--max-children", str(max_children))  # its progress spinner is not shown
    statuses: dict[str, str] = {}
    for line in mutmut(work, "results", "--all", "true").splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            statuses[name] = status
    left = sorted(name for name, status in statuses.items() if status not in KILLED)
    killed = len(statuses) - len(left)
    for name in left:
        print(f"   {statuses[name]}: {name}")
        if survivors:
            print(mutmut(work, "show", name))
    score = 100 * killed / len(statuses) if statuses else 100.0
    print(f"== {module}: {killed}/{len(statuses)} killed, score {score:.1f}%", flush=True)
    return killed, len(statuses), left


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="e.g. cogs/contributions/_rules.py")
    parser.add_argument("--all", action="store_true", help="every rules module, one at a time")
    parser.add_argument("--max-children", type=int, default=1, help="parallel mutmut workers (default 1)")
    parser.add_argument("--survivors", action="store_true", help="print the diff of each surviving mutant")
    args = parser.parse_args(argv)
    modules = list(MODULES) if args.all else args.modules
    if not modules:
        parser.error("name a module (e.g. cogs/contributions/_rules.py) or give --all")
    unknown = [m for m in modules if not (ROOT / m).is_file()]
    if unknown:
        parser.error(f"no such module: {', '.join(unknown)}")
    table = [(m, *run(m, args.max_children, args.survivors)[:2]) for m in modules]
    print("\n| module | killed / mutants | score |\n|---|---|---|")
    for module, killed, total in table:
        print(f"| `{module}` | {killed} / {total} | {100 * killed / total if total else 100:.0f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
