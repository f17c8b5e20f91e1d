import gc

from cqdt.config.runtime import freeze_startup_objects


def test_startup_objects_are_moved_out_of_later_collections():
    try:
        freeze_startup_objects()
        assert gc.get_freeze_count() > 10_000  # Django, the apps and the URL configuration
    finally:
        gc.unfreeze()
