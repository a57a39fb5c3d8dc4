"""gunicorn settings shared by `termlight serve`, the Procfile and the tests.

Loaded with `gunicorn -c python:termlight.service.gunicorn_conf ...`. gunicorn's own
command-line flags still win over these values, so a test can pass `--bind` and
`--workers` while keeping the same logging and worker model as production.
"""

import os
import shutil
import tempfile

from termlight.service import gunicorn_errors as _gunicorn_errors
from termlight.service import settings as _settings

# HTTP-level errors that gunicorn answers itself come out as problem+json as well.
_gunicorn_errors.install()

bind = [f"{os.environ.get(_settings.ENV_HOST) or _settings.DEFAULT_HOST}:"
        f"{os.environ.get(_settings.ENV_PORT) or _settings.DEFAULT_PORT}"]

# WEB_CONCURRENCY is what PaaS hosts set; otherwise a small CPU-based count.
workers = int(os.environ.get(_settings.ENV_WORKERS) or _settings.default_workers())

# Threads keep idle keep-alive connections (the extension reuses one) from pinning a
# whole process, which sync workers would do.
worker_class = "gthread"
threads = 4

# The master loads the app (and the glossary) once and forks the workers from it:
# memory is shared copy-on-write, and a worker forked later (after a crash, a
# SIGHUP or max_requests) starts from a good glossary even if the file is broken
# by then. Each worker then runs its own reload check (service/reload.py).
preload_app = True

# A private directory where workers keep the last good glossary for each other
# (reload.LastGood). Created here, in the master, before the app is loaded.
_created_state_dir = None
if not os.environ.get(_settings.ENV_STATE_DIR):
    _created_state_dir = tempfile.mkdtemp(prefix="termlight-state-")
    os.environ[_settings.ENV_STATE_DIR] = _created_state_dir


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
# No %(u)s (it decodes Basic credentials) and no request headers: tokens never reach
# the log. %(M)s is the latency in milliseconds; %(p)s names the worker that answered.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms %(p)s "%(a)s"'
# A token a client misplaces (a query string, a path, a User-Agent) is masked in every line.
logger_class = "termlight.service.logredact.RedactingLogger"
