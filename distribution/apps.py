from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "distribution"
    verbose_name = "简报分发与归档"

    def ready(self):
        from . import demo, panels, permissions  # noqa: F401  (rules, panels, demo loader)
