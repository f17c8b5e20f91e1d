"""Columns that many tables share, written once for the migrations (docs/decisions/0020).

Frozen: what a function here returns is part of every migration that calls it, so it never
changes; a different column is a new function. Each call returns new field instances. Django's
migration loader passes over this module (its name starts with an underscore).
"""

import uuid

from django.db import models


def pk():
    """The primary key every model gets (``DEFAULT_AUTO_FIELD``)."""
    return (
        "id",
        models.BigAutoField(
            auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
        ),
    )


def base():
    """``core.models.BaseModel``: the key, then the row's creation and update times."""
    return [
        pk(),
        (
            "created_at",
            models.DateTimeField(
                auto_now_add=True, help_text="When the row was written.", verbose_name="created at"
            ),
        ),
        (
            "updated_at",
            models.DateTimeField(
                auto_now=True, help_text="When the row was last changed.", verbose_name="updated at"
            ),
        ),
    ]


def public():
    """``core.models.PublicModel``: ``base()``, then the id the API and the pages name it by."""
    return [
        *base(),
        (
            "public_id",
            models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="Identifier used in URLs and the API.",
                unique=True,
                verbose_name="public id",
            ),
        ),
    ]
