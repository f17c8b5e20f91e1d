"""What the calendar tells the contexts that count on it (they connect from ``ready()``)."""

from django.dispatch import Signal

# Sent once a notice that changed the working-day calendar has committed; ``change_id`` names
# the ``CalendarChange`` row with the days it closed and opened (docs/decisions/0015 §5).
notice_published = Signal()
