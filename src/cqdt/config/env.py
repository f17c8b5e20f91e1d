"""Reading the environment: the only place settings look at ``os.environ``."""

import os
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}

# src/cqdt/config/env.py -> the repository root is four levels up.
PROJECT_ROOT = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("CQDT_VAR_DIR", PROJECT_ROOT / "var"))


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def tiles_origin(template: str) -> str:
    """The CSP source for a map tile URL template: its scheme and host, "{s}." (Leaflet's
    subdomains) as the "*." wildcard; empty for an empty or relative template."""
    from urllib.parse import urlsplit

    parts = urlsplit(template.replace("{s}.", "*."))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
