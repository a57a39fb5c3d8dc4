"""`termlight token add|list|revoke`: named API tokens with roles, in the team database.

The database is the server's: TERMLIGHT_DATABASE_URL, or the default SQLite file.
A new token is printed once, on standard output alone (so `$(termlight token add ...)`
captures it); only its SHA-256 is stored.
"""

from __future__ import annotations

import argparse
import sys

from termlight import settings
from termlight.store import StoreError, open_database
from termlight.store import tokens


def _db(args: argparse.Namespace):
    return open_database(args.database or settings.value("database_url"))


def cmd_token(args: argparse.Namespace) -> int:
    try:
        db = _db(args)
        if args.action == "add":
            token = tokens.add(db, args.name, args.role)
            print(token)
            print(f"token {args.name!r} ({args.role}) created; it is shown only this once",
                  file=sys.stderr)
        elif args.action == "list":
            rows = tokens.listing(db)
            for row in rows:
                print(f"{row['name']}\t{row['role']}\t{row['created_at']}")
            if not rows:
                print("no named tokens", file=sys.stderr)
        else:
            tokens.revoke(db, args.name)
            print(f"token {args.name!r} revoked (servers stop accepting it within a second)",
                  file=sys.stderr)
    except (tokens.TokenError, StoreError, settings.SettingsError) as err:
        print(f"termlight token: {err}", file=sys.stderr)
        return 1
    return 0


def register(sub) -> None:
    p = sub.add_parser("token", help="named API tokens with roles (reader, editor, admin)")
    p.add_argument("--database", metavar="URL",
                   help="sqlite:///path or postgresql://... (default: $TERMLIGHT_DATABASE_URL, "
                        "else the default SQLite file)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create a token and print it once")
    add.add_argument("name", help="who or what holds it (shown in the history of changes)")
    add.add_argument("--role", choices=tokens.ROLES, default="reader",
                     help="reader: match, terms, suggest; editor: + review and edit; "
                          "admin: + everything (default: reader)")
    actions.add_parser("list", help="the tokens' names and roles (never the tokens)")
    revoke = actions.add_parser("revoke", help="delete a token")
    revoke.add_argument("name")
    p.set_defaults(func=cmd_token)
