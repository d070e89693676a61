"""WSGI entry point. Files the server creates are readable by the service account only (0600/0700)."""

import os

from django.core.wsgi import get_wsgi_application

os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
application = get_wsgi_application()
