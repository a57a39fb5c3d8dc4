"""``termlight serve``: the match service under gunicorn."""

from __future__ import annotations

import argparse

from termlight.cli.common import add_glossary_option


def cmd_serve(args: argparse.Namespace) -> int:
    from termlight.service.serve import serve  # imported late: gunicorn is only needed here

    return serve(
        glossary=args.glossary,
        host=args.host,
        port=args.port,
        workers=args.workers,
        token=args.token,
        cors_origins=args.cors_origins,
        max_body=args.max_body,
        max_texts=args.max_texts,
    ) or 0


def register(sub) -> None:
    p = sub.add_parser("serve", help="run the match service under gunicorn")
    add_glossary_option(p)
    p.add_argument("--host", help="address to bind (default: $TERMLIGHT_HOST, else 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: $PORT, else 8765)")
    p.add_argument("--workers", type=int, help="gunicorn worker processes (default: $WEB_CONCURRENCY, else by CPU count)")
    p.add_argument("--token", help="API token(s), comma-separated (default: $TERMLIGHT_API_TOKEN)")
    p.add_argument("--cors-origins", help="allowed CORS origins, comma-separated (default: $TERMLIGHT_CORS_ORIGINS)")
    p.add_argument("--max-body", type=int, help="largest request body in bytes (default: $TERMLIGHT_MAX_BODY, else 5 MiB)")
    p.add_argument("--max-texts", type=int, help="most texts in one batch (default: $TERMLIGHT_MAX_TEXTS, else 10000)")
    p.set_defaults(func=cmd_serve)
