from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "alliances"
    verbose_name = "联盟名录"

    def ready(self):
        # Imported in ready(): these import models, which cannot load before the registry is.
        from . import demo, panels, permissions  # noqa: F401  (registers rules, panels, demo)
