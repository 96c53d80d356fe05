"""`python -m exercisekit cohort create|serve|links|list|delete`: a workshop's cohort, from the
facilitator's machine (see README, « Atelier avec une cohorte »)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlsplit

from exercisekit.bank.loader import find_root
from exercisekit.cohort import cohorts
from exercisekit.cohort.cohorts import Cohort, CohortError


def print_links(cohort: Cohort) -> None:
    print(f"Cohorte « {cohort.name} » ({cohort.id}), dossier : {cohort.folder}")
    print(f"LRS : {cohort.lrs} ; envois acceptés jusqu'au {cohort.ends} inclus.")
    print()
    print("Lien pour rejoindre (à donner aux personnes participantes) :")
    print(cohort.join_link)
    print(f"Code QR de ce lien (SVG, pour le projecteur) : {cohort.folder / 'rejoindre.svg'}")
    print()
    print("Lien de lecture (pour vous seulement : il ouvre le tableau de la cohorte) :")
    print(cohort.read_link)


def cmd_create(args: argparse.Namespace) -> int:
    cohort = cohorts.create(
        args.name,
        _root(args),
        lrs=args.lrs,
        site=args.site,
        folder=args.dir,
        days=args.days,
        extra_auth_file=Path(args.auth_file) if args.auth_file else None,
    )
    print_links(cohort)
    print()
    print(f"Démarrer le LRS : python -m exercisekit cohort serve {cohort.name}", end="")
    print(f" --dir {cohort.folder}" if args.dir else "")
    return 0


def cmd_links(args: argparse.Namespace) -> int:
    print_links(cohorts.load(args.name, args.dir))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    found = cohorts.names()
    for name in found:
        print(name)
    if not found:
        print(f"Aucune cohorte dans {cohorts.cohorts_dir()}.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    cohort = cohorts.load(args.name, args.dir)
    port = args.port or urlsplit(cohort.lrs).port or 8100
    print(f"Ralph (LRS) de la cohorte « {cohort.name} » : http://{args.host}:{port}/xAPI/")
    print(f"Origine autorisée (CORS) : {cohort.origin}. Ctrl+C pour arrêter.")
    cohorts.serve(cohort, host=args.host, port=port)
    return 0  # not reached: serve() replaces this process


def cmd_delete(args: argparse.Namespace) -> int:
    cohort = cohorts.load(args.name, args.dir)
    if not args.yes:
        print(
            f"Ceci efface la cohorte « {cohort.name} » et toutes ses traces ({cohort.folder}). "
            "Relancez avec --oui pour confirmer.",
            file=sys.stderr,
        )
        return 1
    cohorts.delete(cohort)
    print(f"Cohorte « {cohort.name} » effacée.")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    cohort = sub.add_parser(
        "cohort", help="atelier avec une cohorte : créer, servir le LRS (Ralph), liens"
    )
    actions = cohort.add_subparsers(dest="action", required=True)

    def action(name: str, helptext: str, func) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=helptext)
        if name != "list":
            p.add_argument("name", help="nom de la cohorte (ex. atelier-mars)")
            p.add_argument(
                "--dir",
                help="dossier de la cohorte (par défaut : ~/.accompagner-un-collectif/cohortes/NOM)",
            )
        p.add_argument("--root", help="racine du cours (par défaut : trouvée depuis ici)")
        p.set_defaults(func=lambda a: _run(func, a))
        return p

    create = action("create", "créer une cohorte et afficher ses liens", cmd_create)
    create.add_argument("--lrs", help=f"adresse xAPI du LRS (par défaut : {cohorts.DEFAULT_LRS})")
    create.add_argument(
        "--site", help="adresse du site du cours (par défaut : celle de GitHub Pages du dépôt)"
    )
    create.add_argument(
        "--days",
        "--jours",
        type=int,
        default=cohorts.DEFAULT_DAYS,
        help=f"durée des envois, en jours (par défaut : {cohorts.DEFAULT_DAYS})",
    )
    create.add_argument(
        "--auth-file",
        help="ajouter aussi les identifiants à ce fichier d'authentification de Ralph",
    )
    action("links", "afficher de nouveau les liens d'une cohorte", cmd_links)
    action("list", "lister les cohortes", cmd_list)
    serve = action("serve", "démarrer le LRS (Ralph) de la cohorte sur cette machine", cmd_serve)
    serve.add_argument(
        "--host", default="127.0.0.1", help="adresse d'écoute (par défaut : 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, help="port (par défaut : celui de l'adresse du LRS)")
    delete = action("delete", "effacer une cohorte et ses traces", cmd_delete)
    delete.add_argument("--oui", dest="yes", action="store_true", help="confirmer l'effacement")


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve() if args.root else find_root()


def _run(func, args: argparse.Namespace) -> int:
    try:
        return func(args)
    except CohortError as err:
        print(err, file=sys.stderr)
        return 1
