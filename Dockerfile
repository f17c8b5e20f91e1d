# CQĐT production image: slim Python 3.11, non-root, granian (docs/decisions/0011).
# Build: docker build -t cqdt .   Run the whole stack: docker compose up (compose.yaml).
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY src ./src
RUN python -m venv /venv && /venv/bin/pip install -c constraints.txt . \
 && CQDT_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(60))')" CQDT_VAR_DIR=/var/lib/cqdt \
    DJANGO_SETTINGS_MODULE=cqdt.config.settings.prod /venv/bin/cqdt collectstatic --noinput -v0

FROM python:3.11-slim-bookworm
# Pango for WeasyPrint (documents, reports); the PostgreSQL client for `cqdt backup`/`restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 postgresql-client curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin cqdt \
 && mkdir -p /var/lib/cqdt/media /var/lib/cqdt/audit-checkpoints /var/lib/cqdt/backups \
 && chown -R cqdt /var/lib/cqdt
COPY --from=build /venv /venv
COPY --from=build --chown=cqdt /var/lib/cqdt/static /var/lib/cqdt/static
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=cqdt.config.settings.prod \
    CQDT_VAR_DIR=/var/lib/cqdt
USER cqdt
WORKDIR /var/lib/cqdt
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["granian", "--interface", "wsgi", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", \
     "--blocking-threads", "8", "--respawn-failed-workers", "cqdt.config.wsgi:application"]
