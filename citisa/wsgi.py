import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citisa.settings")
application = get_wsgi_application()

# Load jieba's dictionary (1.5 s, ~60 MB) when the server starts, not inside the first
# submission each worker handles: that request held the GIL for the whole load and stalled
# every other thread of its worker. With gunicorn --preload it is loaded once and shared.
from core.segment import warm_up  # noqa: E402

warm_up()
