from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = "简报"

    def ready(self):
        # Imported in ready(): these import models, which cannot load before the registry is.
        from . import demo, panels, permissions  # noqa: F401  (registers rules, panels, demo)
