from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "投稿"

    def ready(self):
        from . import demo, panels, permissions  # noqa: F401  (registers rules, panels, demo)
