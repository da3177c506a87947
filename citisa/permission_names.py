"""Chinese names for Django's default permissions.

Django names the add/change/delete/view permission of every model 「Can add <verbose_name>」
in English, once, when the permission is created; the admin's permission chooser shows these
names. After every ``migrate`` (``post_migrate``, which runs after Django's own
``create_permissions``) each default permission still carrying Django's English name gets a
Chinese one built from the model's Chinese ``verbose_name``. Names an administrator or a
model's ``Meta.permissions`` gave are left alone (they do not start with Django's words).
"""

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}
# Apps whose AppConfig carries no Chinese name (shown before each permission and on the
# admin's index).
APP_NAMES = {
    "axes": "登录限制",
    "django_otp": "两步验证",
    "otp_totp": "两步验证（身份验证器）",
    "otp_static": "两步验证（恢复码）",
}
# Third-party models whose verbose_name is a plain English string, not a translatable one
# (django-otp's). Set on their _meta at start-up: what the admin and the permission names
# show; their migrations are untouched (built from the Meta as declared).
MODEL_NAMES = {
    "otp_totp.totpdevice": "身份验证器",
    "otp_static.staticdevice": "恢复码组",
    "otp_static.statictoken": "恢复码",
}


def chinese_permission_name(action: str, verbose_name: str) -> str:
    return f"可{ACTIONS[action]}{verbose_name}"


def name_apps_in_chinese(app_configs) -> None:
    for app_config in app_configs:
        if app_config.label in APP_NAMES:
            app_config.verbose_name = APP_NAMES[app_config.label]
        for model in app_config.get_models():
            if name := MODEL_NAMES.get(model._meta.label_lower):
                model._meta.verbose_name = model._meta.verbose_name_plural = name


def translate_permission_names(sender, app_config=None, using="default", apps=None, **kwargs):
    """``post_migrate`` receiver: rename the default permissions of ``app_config``'s models."""
    if app_config is None or not app_config.models_module:
        return
    with translation.override(settings.LANGUAGE_CODE):
        for model in app_config.get_models():
            opts = model._meta
            content_type = ContentType.objects.db_manager(using).get_for_model(
                model, for_concrete_model=False
            )
            for action in opts.default_permissions:
                if action not in ACTIONS:
                    continue
                name = chinese_permission_name(action, str(opts.verbose_name))[:255]
                Permission.objects.using(using).filter(
                    content_type=content_type,
                    codename=f"{action}_{opts.model_name}",
                    name__startswith=f"Can {action} ",  # Django's own English name
                ).update(name=name)
