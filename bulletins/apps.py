from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = "简报"

    def ready(self):
        from . import demo, panels, permissions  # noqa: F401  (registers rules, panels, demo)
