import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoz.settings")
application = get_wsgi_application()

# What a worker would otherwise load on its first requests is loaded with the application:
# every page's module (through the URLconf: the results' SciPy, the exports' writers, the
# charts) and the PDF library with the fonts it finds. A worker's size then stays where it
# starts, whatever pages it serves.
from django.urls import get_resolver  # noqa: E402

from ssoz.lib import pdf  # noqa: E402

get_resolver().url_patterns  # noqa: B018 (imports every view module)
pdf.preload()
