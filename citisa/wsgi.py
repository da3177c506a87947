import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citisa.settings")
application = get_wsgi_application()

# jieba's dictionary (1.5 s) is loaded at start, not by the first search request; with
# gunicorn's --preload it is loaded once in the master and shared by the forked workers.
from submissions.text import warm_up  # noqa: E402

warm_up()
