"""Test data built through the services, as the application builds it."""

import factory

from accounts.models import Role
from accounts.services import user_create
from alliances.services import alliance_create, staff_assign

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.Factory):
    class Meta:
        model = dict

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = PASSWORD
    roles = ()

    @classmethod
    def _create(cls, model_class, **kwargs):
        return user_create(**kwargs)


class AllianceFactory(factory.Factory):
    class Meta:
        model = dict

    full_name = factory.Sequence(lambda n: f"测试{n:03d}产业技术创新战略联盟")
    short_name = factory.Sequence(lambda n: f"测试{n:03d}联盟")
    code = None
    aliases = ()

    @classmethod
    def _create(cls, model_class, **kwargs):
        return alliance_create(**kwargs)


def make_user(role: str, **kwargs):
    return UserFactory(roles=[role], **kwargs)


def make_secretary(alliance, **kwargs):
    user = UserFactory(roles=[Role.SECRETARIAT], **kwargs)
    staff_assign(alliance=alliance, user=user)
    return user
