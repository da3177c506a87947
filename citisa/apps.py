from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class CitisaConfig(AppConfig):
    name = "citisa"
    verbose_name = "系统"

    def ready(self):
        # Imported in ready(): permission_names imports auth's models, not loadable before.
        from .permission_names import name_apps_in_chinese, translate_permission_names

        name_apps_in_chinese(apps.get_app_configs())
        # Connected here, after django.contrib.auth's create_permissions (auth comes
        # earlier in INSTALLED_APPS), so the permissions exist when this runs.
        post_migrate.connect(translate_permission_names, dispatch_uid="citisa-permission-names")
