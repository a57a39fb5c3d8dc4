"""``termlight serve``: the match service under gunicorn; its flags come from the settings table."""

from __future__ import annotations

import argparse

from termlight import settings


def cmd_serve(args: argparse.Namespace) -> int:
    from termlight.service.serve import serve  # imported late: gunicorn is only needed here

    return serve(**{s.dest: getattr(args, s.dest) for s in settings.TABLE if s.flag}) or 0


def _flag_type(setting: settings.Setting):
    """Check a serve flag's value as its variable's would be checked; keep it as given."""
    def check(raw: str) -> str:
        try:
            setting.kind(raw.strip())
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
        return raw
    return check


def register(sub) -> None:
    p = sub.add_parser("serve", help="run the match service under gunicorn")
    for setting in settings.TABLE:
        if setting.flag:
            p.add_argument(setting.flag, type=_flag_type(setting), metavar=setting.dest.upper(),
                           help=f"{setting.help.replace('%', '%%')} (default: ${setting.env}, "
                                f"else {setting.default_doc.replace('%', '%%')})")
    p.set_defaults(func=cmd_serve)
