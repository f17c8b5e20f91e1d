"""Back to a page from another one, as the citizen's browser does it: the step every "Back asks
for no resubmission" test takes (the online form, the feedback form, a missed lookup, a refused
rating)."""

from typing import Any


def back_from_elsewhere(page: Any, base: str) -> Any:
    """Leave ``page`` for another page of the site (the procedure catalog), then press Back: the
    answer to the history entry Back reloads. It must be a GET — a POST in the history is what
    asks the citizen to confirm a resubmission (net::ERR_CACHE_MISS)."""
    page.goto(f"{base}/procedures/")
    page.wait_for_load_state()
    back = page.go_back()
    assert back is not None and back.request.method == "GET"
    return back
