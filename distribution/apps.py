from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "distribution"
    verbose_name = "简报分发与归档"

    def ready(self):
        # Imported in ready(), as they import models: the rules, panels, the demo loader, and
        # the answers to bulletins.hooks (reach, delivery, the final PDF's hand-off).
        from . import demo, panels, permissions, pipeline, reach  # noqa: F401
