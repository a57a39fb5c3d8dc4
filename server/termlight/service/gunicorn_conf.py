"""gunicorn settings shared by `termlight serve`, the Procfile and the tests.

Loaded with `gunicorn -c python:termlight.service.gunicorn_conf ...`. gunicorn's own
command-line flags still win over these values, so a test can pass `--bind` and
`--workers` while keeping the same logging and worker model as production.
"""

import os

from termlight.service import settings as _settings

bind = [f"{os.environ.get(_settings.ENV_HOST) or _settings.DEFAULT_HOST}:"
        f"{os.environ.get(_settings.ENV_PORT) or _settings.DEFAULT_PORT}"]

# WEB_CONCURRENCY is what PaaS hosts set; otherwise a small CPU-based count.
workers = int(os.environ.get(_settings.ENV_WORKERS) or _settings.default_workers())

# Threads keep idle keep-alive connections (the extension reuses one) from pinning a
# whole process, which sync workers would do.
worker_class = "gthread"
threads = 4

# Each worker builds its own app (no preload), so each one owns its reload check.
preload_app = False

timeout = 30
graceful_timeout = 20
keepalive = 5

accesslog = "-"
errorlog = "-"
# No %(u)s (it decodes Basic credentials) and no request headers: tokens never reach
# the log. %(M)s is the latency in milliseconds; %(p)s names the worker that answered.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms %(p)s "%(a)s"'
