"""Process start-up for serving.

After Django has loaded (settings, apps, URL patterns, templates' code, the calendars), those
objects live as long as the process. Python's full garbage collections walk every tracked
object, and with a loaded Django that walk took 50–70 ms on the 2-core machine, once every
ten or so dashboard requests (bench/bench_monitoring.py). Moving the start-up objects to the
permanent generation (``gc.freeze``, Python 3.7+) leaves them out of those walks; everything a
request allocates is collected as before.
"""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Load the URL configuration (and so every view module), collect once, then keep
    everything alive now out of later collections."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imported for its side effect
    gc.collect()
    gc.freeze()
