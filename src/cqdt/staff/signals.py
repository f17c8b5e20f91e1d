"""Signals the staff context sends; contexts above it subscribe (dependencies point down)."""

from django.dispatch import Signal

appointment_ended = Signal()
"""Sent inside the ending move's transaction with ``appointment`` and ``actor``."""
