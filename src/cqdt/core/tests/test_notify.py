"""The outbox: queued with its cause, one message per key, each delivered once."""

import logging

import pytest
from django.db import transaction
from django.test import override_settings

from cqdt.core import notify
from cqdt.core.models import OutboxMessage
from cqdt.core.notify import MAX_ATTEMPTS, ConsoleSender, MemorySender, outbox_deliver, outbox_put
from cqdt.testing.concurrency import in_threads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_mailbox():
    MemorySender.sent.clear()
    yield
    MemorySender.sent.clear()


def _put(key, recipient="0912345678", body="Hồ sơ đã có kết quả."):
    with transaction.atomic():
        return outbox_put(channel="sms", recipient=recipient, body=body, key=key, subject="Kết quả")


def test_the_same_key_queues_one_message():
    first = _put("H26-260302-0001:signed")
    second = _put("H26-260302-0001:signed", body="another text")
    assert first is not None and second is None
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().body == "Hồ sơ đã có kết quả."


def test_a_repeated_key_does_not_undo_the_rest_of_the_transaction():
    with transaction.atomic():
        _put("k")
        _put("k")
        _put("other")
    assert set(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == {"k", "other"}


def test_no_recipient_queues_nothing():
    assert _put("k", recipient="") is None
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_outbox_put_refuses_to_run_outside_the_transaction_of_its_cause():
    with pytest.raises(RuntimeError):
        outbox_put(channel="sms", recipient="0912345678", body="x", key="k")
    assert not OutboxMessage.objects.exists()


def test_delivery_sends_each_message_once():
    for n in range(3):
        _put(f"k{n}", recipient=f"09123456{n:02d}")
    assert outbox_deliver() == 3
    assert sorted(m["recipient"] for m in MemorySender.sent) == [
        "0912345600",
        "0912345601",
        "0912345602",
    ]
    assert outbox_deliver() == 0
    assert len(MemorySender.sent) == 3
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    _put("k1")  # the key was used: it is never queued (nor sent) again
    assert outbox_deliver() == 0


class FlakySender:
    """Fails for one recipient, sends to the others."""

    def send(self, *, channel, recipient, subject, body):
        if recipient == "0900000000":
            raise ConnectionError("gateway down")
        MemorySender().send(channel=channel, recipient=recipient, subject=subject, body=body)


@override_settings(CQDT_NOTIFY_BACKEND="cqdt.core.tests.test_notify.FlakySender")
def test_a_failing_gateway_is_retried_a_few_times_and_does_not_stop_the_others():
    _put("bad", recipient="0900000000")
    _put("good", recipient="0912345678")
    assert outbox_deliver() == 1
    bad = OutboxMessage.objects.get(idempotency_key="bad")
    assert (bad.attempts, bad.last_error, bad.sent_at) == (1, "ConnectionError", None)
    for _ in range(MAX_ATTEMPTS + 2):
        outbox_deliver()
    bad.refresh_from_db()
    assert bad.attempts == MAX_ATTEMPTS and bad.sent_at is None
    assert [m["recipient"] for m in MemorySender.sent] == ["0912345678"]


def test_the_console_sender_logs_no_recipient(caplog):
    with caplog.at_level(logging.INFO, logger="cqdt.notify"):  # the suite's default: WARNING
        ConsoleSender().send(channel="sms", recipient="0912345678", subject="Kết quả", body="Hồ sơ")
    # The message's line was written (with what was sent, not to whom): no pass on no log.
    [line] = [r.msg for r in caplog.records if r.name == "cqdt.notify"]
    assert line["event"] == "notification_sent" and line["channel"] == "sms"
    assert "0912345678" not in caplog.text


def test_the_configured_sender_is_used():
    assert isinstance(notify.sender(), MemorySender)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_workers_running_at_once_never_send_a_message_twice():
    with transaction.atomic():
        for n in range(40):
            outbox_put(channel="email", recipient=f"a{n}@example.vn", body="x", key=f"k{n}")

    def worker(i, barrier):
        barrier.wait()
        return outbox_deliver()

    totals, errors = in_threads(4, worker)
    assert not errors
    assert sum(totals) == 40
    assert sorted(m["recipient"] for m in MemorySender.sent) == sorted(
        f"a{n}@example.vn" for n in range(40)
    )
