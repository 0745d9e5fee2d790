"""ASGI entry point; servers run the production settings unless told otherwise."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pithsite.settings.prod")

application = get_asgi_application()
