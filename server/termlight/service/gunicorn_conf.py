"""gunicorn settings shared by `termlight serve`, the Procfile and the tests.

Loaded with `gunicorn -c python:termlight.service.gunicorn_conf ...`. gunicorn's own
command-line flags still win over these values, so a test can pass `--bind` and
`--workers` while keeping the same logging and worker model as production.
"""

import os
import shutil
import sys
import tempfile

from termlight import settings as _settings
from termlight.service import gunicorn_errors as _gunicorn_errors

# Every setting is checked before anything starts: a bad one is one line and exit status 2,
# not a traceback from a worker. (gunicorn itself reads WEB_CONCURRENCY with int() before this
# file is loaded; `termlight serve`, which the Procfile runs, checks it before gunicorn starts.)
try:
    _cfg = _settings.Settings.from_env()
except _settings.SettingsError as _err:
    print(f"termlight: {_err}", file=sys.stderr, flush=True)
    raise SystemExit(2) from None

# HTTP-level errors that gunicorn answers itself come out as problem+json as well.
_gunicorn_errors.install()

bind = [f"{_cfg.host}:{_cfg.port}"]

# WEB_CONCURRENCY is what PaaS hosts set; otherwise a small CPU-based count.
workers = _cfg.workers

# Threads keep idle keep-alive connections (the extension reuses one) from pinning a
# whole process, which sync workers would do.
worker_class = "termlight.service.head_timeout_worker.HeadTimeoutWorker"
threads = 4

# The master loads the app (and the glossary) once and forks the workers from it:
# memory is shared copy-on-write, and a worker forked later (after a crash, a
# SIGHUP or max_requests) starts from a good glossary even if the file is broken
# by then. Each worker then runs its own reload check (service/reload.py).
preload_app = True

# A private directory where workers keep the last good glossary for each other
# (reload.LastGood). Created here, in the master, before the app is loaded.
_created_state_dir = None
if not _cfg.state_dir:
    _created_state_dir = tempfile.mkdtemp(prefix="termlight-state-")
    os.environ[_settings.BY_NAME["state_dir"].env] = _created_state_dir


def on_exit(server):
    if _created_state_dir:
        shutil.rmtree(_created_state_dir, ignore_errors=True)


# gunicorn 24+ opens a control socket at one fixed per-user path, which two servers
# on one machine (or parallel tests) would fight over; termlight does not use it.
control_socket_disable = True

timeout = 30
graceful_timeout = 20
keepalive = 5

accesslog = "-"
errorlog = "-"
# No %(u)s (it decodes Basic credentials) and no request headers (not even the User-Agent):
# tokens never reach the log. %(M)s is the latency in milliseconds; %(p)s the worker.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms %(p)s'
# A token a client misplaces (a query string, a path, a User-Agent) is masked in every line.
logger_class = "termlight.service.logredact.RedactingLogger"
