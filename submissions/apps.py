from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "投稿"

    def ready(self):
        from celery.signals import worker_init

        from . import demo, panels, permissions  # noqa: F401  (registers rules, panels, demo)
        from .text import warm_up

        # jieba's dictionary (1.5 s, ~60 MB) is loaded once in the worker's parent, before
        # the pool forks, not by every child on its first task (STACK-NOTES).
        worker_init.connect(warm_up, weak=False, dispatch_uid="submissions.jieba")
