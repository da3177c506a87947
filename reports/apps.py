from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports that read several apps (statistics, their exports, the rating sheet): the
    floor above distribution, below only the project's URL configuration."""

    name = "reports"
    verbose_name = "统计报表"

    def ready(self):
        # Imported here, not at the top: panels import models, which are not ready before.
        from . import panels  # noqa: F401  (registers the home page panels)
