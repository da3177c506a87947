from celery.signals import worker_init
from django.apps import AppConfig

from core.segment import warm_up


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "投稿"

    def ready(self):
        # Imported in ready(): these import models, which cannot load before the registry is.
        from . import demo, panels, permissions  # noqa: F401  (registers rules, panels, demo)

        # jieba's dictionary (1.5 s, ~60 MB) is loaded once in the worker's parent, before
        # the pool forks, not by every child on its first task.
        worker_init.connect(warm_up, weak=False, dispatch_uid="submissions.jieba")
