from django.apps import AppConfig


class CitisaConfig(AppConfig):
    name = "citisa"
    verbose_name = "系统"
