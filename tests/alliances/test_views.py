import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_user
from tests.two_factor import force_login_verified

pytestmark = pytest.mark.django_db


def login(client, user):
    force_login_verified(client, user)
    return client


def test_secretariat_sees_its_own_alliance(client, secretary_a, alliance_a):
    response = login(client, secretary_a).get(reverse("alliances:detail", args=[alliance_a.pk]))
    assert response.status_code == 200
    assert alliance_a.full_name in response.content.decode()


def test_secretariat_of_a_gets_404_for_alliance_b(client, secretary_a, alliance_b):
    response = login(client, secretary_a).get(reverse("alliances:detail", args=[alliance_b.pk]))
    assert response.status_code == 404
    assert alliance_b.full_name not in response.content.decode()


def test_404_for_a_missing_alliance_looks_the_same(client, secretary_a, alliance_b):
    missing = login(client, secretary_a).get(
        reverse("alliances:detail", args=[alliance_b.pk + 1000])
    )
    other = client.get(reverse("alliances:detail", args=[alliance_b.pk]))
    assert missing.status_code == other.status_code == 404


def test_secretariat_index_goes_to_own_alliance_and_never_lists_others(
    client, secretary_a, alliance_a, alliance_b
):
    response = login(client, secretary_a).get(reverse("alliances:index"))
    assert response.status_code == 302
    assert response.url == reverse("alliances:detail", args=[alliance_a.pk])


def test_secretariat_of_two_alliances_sees_only_those(client, alliance_a, alliance_b):
    from alliances.services import staff_assign
    from tests.factories import AllianceFactory

    third = AllianceFactory()
    user = make_user(Role.SECRETARIAT)
    staff_assign(alliance=alliance_a, user=user)
    staff_assign(alliance=alliance_b, user=user)
    body = login(client, user).get(reverse("alliances:index")).content.decode()
    assert alliance_a.full_name in body and alliance_b.full_name in body
    assert third.full_name not in body


def test_editor_lists_and_filters_the_registry(
    client, editor, alliance_a, alliance_b, django_assert_max_num_queries
):
    login(client, editor)
    with django_assert_max_num_queries(10):
        body = client.get(reverse("alliances:index"), {"kind": "network"}).content.decode()
    assert alliance_b.full_name in body and alliance_a.full_name not in body
    body = client.get(reverse("alliances:index"), {"q": "甲测试"}).content.decode()
    assert alliance_a.full_name in body and alliance_b.full_name not in body
    body = client.get(reverse("alliances:index"), {"batch": "9"}).content.decode()
    assert alliance_a.full_name in body and alliance_b.full_name not in body


def test_user_without_role_sees_no_alliance(client, alliance_a):
    user = make_user(Role.RECIPIENT)
    login(client, user)
    assert client.get(reverse("alliances:detail", args=[alliance_a.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, alliance_a):
    response = client.get(reverse("alliances:detail", args=[alliance_a.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


@pytest.mark.parametrize("role", [Role.EDITOR, Role.SECRETARIAT, Role.SIGNER, Role.RECIPIENT])
def test_only_administrators_reach_the_admin(client, role):
    login(client, make_user(role))
    # Told so (a redirect to the login would come straight back: a loop).
    assert client.get("/admin/").status_code == 403


def test_administrator_manages_alliances_in_admin(client, administrator, alliance_a):
    login(client, administrator)
    assert client.get("/admin/").status_code == 200
    assert (
        client.get(reverse("admin:alliances_alliance_changelist"), {"q": "甲测试"}).status_code
        == 200
    )
    response = client.get(reverse("admin:alliances_alliance_change", args=[alliance_a.pk]))
    assert response.status_code == 200


def test_admin_rejects_an_alias_owned_by_another_alliance(
    client, administrator, alliance_a, alliance_b
):
    login(client, administrator)
    url = reverse("admin:alliances_alliance_change", args=[alliance_a.pk])
    data = {
        "full_name": alliance_a.full_name,
        "short_name": alliance_a.short_name,
        "code": alliance_a.code,
        "website": "",
        "is_active": "on",
        "notes": "",
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "1000",
        "names-0-name": "乙测试联盟",
        "names-0-id": "",
        "names-0-alliance": str(alliance_a.pk),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "staff-TOTAL_FORMS": "0",
        "staff-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "同一名称不能指向两个联盟" in response.content.decode()
    assert not alliance_a.names.filter(name="乙测试联盟").exists()


def test_registry_pagination_keeps_the_filters(client, editor):
    from tests.factories import AllianceFactory

    for n in range(55):
        AllianceFactory(code=f"{500 + n}")
    login(client, editor)
    body = client.get(reverse("alliances:index"), {"kind": "pilot", "page": 2}).content.decode()
    assert "第 2 / 2 页" in body
    assert 'href="?kind=pilot&amp;page=1"' in body
