"""The production settings, loaded as a deployment loads them: in a fresh process.

Settings modules read the environment once, at import; a subprocess is the honest way to try
them with a given environment (no reloading of half-imported modules in the test process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PROPER_SECRET = "k" * 20 + "-proper-secret-for-tests-only-0123456789-abcdefgh"


def run_prod(code: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CQDT_")
        # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in the worker's environment; a
        # production process never has it (check --deploy rightly refuses it).
        and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cqdt.config.settings.prod",
            "CQDT_SECRET_KEY": PROPER_SECRET,
            "CQDT_VAR_DIR": str(tmp_path),
        }
    )
    environ.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def prod_settings(tmp_path, *names: str, **env: str) -> dict:
    """The values of ``names`` in a fresh process under ``env``. The settings module is imported
    as ``django.setup()`` imports it (the first read of ``django.conf.settings``); the apps are
    not loaded after it: loading them sets no setting (nothing in cqdt assigns one) and cost
    about a second of CPU a process, four processes a run. A process that starts the whole
    application is tried where starting is the point (check --deploy, the secret's length,
    load_demo_data)."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, default=str))"
    )
    done = run_prod(code, tmp_path, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# The settings tests read under the default deployment environment (a proper secret, nothing
# else set): one fresh process per test process reads them all (``prod_defaults``); each such
# process costs about a second of imports.
DEFAULT_NAMES = (
    "CQDT_PRODUCTION",
    "DEBUG",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REDIRECT_EXEMPT",
    "CQDT_SESSION_IDLE_SECONDS",
    "CQDT_SESSION_MAX_SECONDS",
    "SESSION_COOKIE_AGE",
    "LOGGING",
)
_defaults: dict = {}


def prod_defaults(tmp_path, *names: str) -> dict:
    """``prod_settings(tmp_path, *names)`` with no variable added: ``names`` among
    ``DEFAULT_NAMES``, read once per test process."""
    if not _defaults:
        _defaults.update(prod_settings(tmp_path, *DEFAULT_NAMES))
    return {n: _defaults[n] for n in names}


def test_the_production_settings_say_they_are_production(tmp_path):
    assert prod_defaults(tmp_path, "CQDT_PRODUCTION", "DEBUG") == {
        "CQDT_PRODUCTION": True,
        "DEBUG": False,
    }


def test_production_logs_from_info_up(tmp_path):
    """Every request's line ("request", core.middleware) and the events at INFO reach the log
    collector; only the test settings start at WARNING (below)."""
    assert prod_defaults(tmp_path, "LOGGING")["LOGGING"]["root"]["level"] == "INFO"


@pytest.mark.parametrize(
    ("module", "level"),
    [("cqdt.config.settings.dev", "INFO"), ("cqdt.config.settings.test", "WARNING")],
)
def test_other_settings_are_not_production(tmp_path, module, level):
    values = prod_settings(tmp_path, "CQDT_PRODUCTION", "LOGGING", DJANGO_SETTINGS_MODULE=module)
    assert values["CQDT_PRODUCTION"] is False
    # Development logs as production does; the tests turn INFO on where they read it.
    assert values["LOGGING"]["root"]["level"] == level


def test_load_demo_data_refuses_under_the_production_settings_module(tmp_path):
    done = run_prod(
        "import sys; from cqdt.manage import main; "
        "sys.argv = ['cqdt', 'load_demo_data', '--no-activity']; main()",
        tmp_path,
    )
    assert done.returncode != 0
    assert "--force-demo-in-production" in done.stderr
