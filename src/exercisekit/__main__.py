"""Command line: `python -m exercisekit check [ROOT]` validates every exercise file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import ExerciseDataError
from .loader import find_root, load_bank


def cmd_check(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve() if args.root else find_root()
    try:
        bank = load_bank(root)
    except ExerciseDataError as err:
        print(err, file=sys.stderr)
        return 1
    count = sum(len(m.exercises) for m in bank.modules.values())
    print(f"OK : {count} exercices valides dans {len(bank.modules)} modules.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exercisekit", description="Outils du cours")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="valider tous les fichiers de exercises/")
    check.add_argument("root", nargs="?", help="racine du cours (par défaut : trouvée depuis ici)")
    check.set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
