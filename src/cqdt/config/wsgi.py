import os

from django.core.wsgi import get_wsgi_application

from cqdt.config.runtime import freeze_startup_objects

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt.config.settings.prod")
application = get_wsgi_application()
freeze_startup_objects()
