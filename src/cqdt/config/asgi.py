import os

from django.core.asgi import get_asgi_application

from cqdt.config.runtime import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt.config.settings.prod")
application = get_asgi_application()
freeze_startup_objects()
