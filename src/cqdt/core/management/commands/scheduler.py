import signal
import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from cqdt.core.logs import get_logger

log = get_logger("cqdt.scheduler")


class Command(BaseCommand):
    help = (
        "Run `cqdt run_periodic` every --interval seconds (default 60) until stopped: the "
        "scheduler `make run` and the containers start beside the web server and `cqdt db_worker`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true", help="One round, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = max(1.0, float(options["interval"]))
        stop = threading.Event()

        def _stop(signum: int, frame: Any) -> None:
            stop.set()

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _stop)
            signal.signal(signal.SIGINT, _stop)
        while not stop.is_set():
            started = time.monotonic()
            try:
                call_command("run_periodic", stdout=self.stdout)
            except Exception as exc:  # one failed round must not stop the scheduler
                log.error("scheduler_round_failed", error=exc.__class__.__name__)
            finally:
                close_old_connections()
            if options["once"]:
                break
            stop.wait(max(0.0, interval - (time.monotonic() - started)))
        log.info("scheduler_stopped")
