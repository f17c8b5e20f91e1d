"""Local development and ``make run``: debug on unless CQDT_DEBUG says otherwise."""

from cqdt.config.env import env_bool, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("CQDT_DEBUG", True)
# A fixed development key is acceptable only here; prod refuses to start without one.
SECRET_KEY = env_str("CQDT_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
