import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoz.settings")
application = get_wsgi_application()

# The PDF library (and the fonts it finds) is loaded with the application, not on a worker's
# first PDF: a worker's size then stays where it starts, whatever pages it serves.
from ssoz.lib import pdf  # noqa: E402

pdf.preload()
