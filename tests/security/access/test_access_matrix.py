"""The access matrix: every URL of the URL configuration × every role, against the
decisions in ``access_table.TABLE`` (the Django admin's by rule, below).

Each request runs in a savepoint rolled back after it, so a POST that does something
(closing a call, deleting a draft) does not change the world for the next request.
"""

from __future__ import annotations

import copy
import time

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlencode

from .access_table import ADMIN_LOGIN, LOGIN, REDIRECT, TABLE
from .urlwalk import walk
from .world import ROLES

pytestmark = pytest.mark.django_db


def answer(client, method, url):
    """What ``client`` gets from ``url``, in the table's terms; nothing it writes is kept."""
    cookies = copy.deepcopy(client.cookies)  # a logout must not log the client out for good
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return classify(response)


def classify(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        return REDIRECT
    return response.status_code


def app_routes():
    return [r for r in walk() if not r.name.startswith("admin:")]


def url_of(route, world, access):
    kwargs = {name: world.value(ref) for name, ref in access.args.items()}
    query = urlencode({name: world.value(ref) for name, ref in access.query.items()})
    return reverse(route.name, kwargs=kwargs) + (f"?{query}" if query else "")


def decision_problems(routes, table) -> list[str]:
    """What is wrong between the URL configuration and the table, in words."""
    names = {r.name for r in routes}
    problems = []
    for route in sorted(routes, key=lambda r: r.name):
        if route.name not in table:
            problems.append(
                f"new URL without an access decision: {route.name} ({route.pattern}) — "
                "add a row to tests/security/access/access_table.py"
            )
    problems += [
        f"decision for a URL that no longer exists: {name}" for name in sorted(table.keys() - names)
    ]
    return problems


def test_every_url_has_an_access_decision():
    problems = decision_problems(app_routes(), TABLE)
    assert not problems, "\n".join(problems)


def test_a_url_without_a_decision_is_named_in_the_failure():
    routes = app_routes()
    table = {name: access for name, access in TABLE.items() if name != "bulletins:detail"}
    assert decision_problems(routes, table) == [
        "new URL without an access decision: bulletins:detail (issues/<int:issue_id>/) — "
        "add a row to tests/security/access/access_table.py"
    ]


def expected_matches(expected, got):
    return got in expected if isinstance(expected, frozenset) else got == expected


def mismatch(route, url, method, role, expected, got):
    return f"{route.name} {method.upper()} {url} as {role}: expected {expected}, got {got}"


def test_every_url_answers_every_role_as_the_table_says(world):
    started = time.monotonic()
    problems = []
    for route in app_routes():
        access = TABLE.get(route.name)
        if access is None:  # test_every_url_has_an_access_decision names it
            continue
        url = url_of(route, world, access)
        for method in ("get", "post"):
            row = getattr(access, method)
            assert len(row) == len(ROLES), f"{route.name}: {method} needs {len(ROLES)} answers"
            for role, expected in zip(ROLES, row, strict=True):
                got = answer(world.clients[role], method, url)
                if not expected_matches(expected, got):
                    problems.append(mismatch(route, url, method, role, expected, got))
    print(
        f"app matrix: {len(app_routes())} URLs x 8 roles x 2 methods, "
        f"{time.monotonic() - started:.1f} s"
    )
    assert not problems, "\n".join(problems)


# --- The Django admin, by rule ---------------------------------------------------------------

ADMIN_ACTIONS = ("changelist", "add", "change", "delete", "history", "simple_history")


def admin_routes():
    return [r for r in walk() if r.name.startswith("admin:")]


def _model_admin(route):
    """The ModelAdmin and action of a model's admin URL (``admin:<app>_<model>_<action>``)."""
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if route.name.startswith(prefix) and route.name[len(prefix) :] in ADMIN_ACTIONS:
            return model, model_admin, route.name[len(prefix) :]
        redirect = f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/"
        if route.pattern == redirect:
            return model, model_admin, "old-change-url"
    return None, None, None


def admin_url(route, world):
    """A concrete URL for an admin route: a model's first row where it needs an object."""
    from django.contrib.contenttypes.models import ContentType

    model, _, action = _model_admin(route)
    if model is not None and action == "simple_history":
        record = _history_record(model)  # one historical record of a row that exists
        if record is not None:
            object_id = getattr(record, model._meta.pk.attname)  # record.pk is history_id
            return reverse(route.name, args=[object_id, record.history_id])
    if model is not None:
        obj = model._default_manager.order_by("pk").first()
        object_id = obj.pk if obj is not None else 999999
        if action == "old-change-url":
            return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{object_id}/"
        if action == "simple_history":  # one historical record of the row (positional)
            record = model.history.filter(pk=object_id).order_by("history_id").first()
            history_id = record.history_id if record is not None else 999999
            return reverse(route.name, args=[object_id, history_id])
        kwargs = {"object_id": object_id} if "object_id" in route.params else {}
        return reverse(route.name, kwargs=kwargs)
    if route.name == "admin:app_list":
        return reverse(route.name, kwargs={"app_label": "bulletins"})
    if route.name == "admin:view_on_site":
        issue = world.objects["signed"]
        ct = ContentType.objects.get_for_model(issue)
        return reverse(route.name, kwargs={"content_type_id": ct.pk, "object_id": issue.pk})
    if route.name == "admin:autocomplete":  # a field that has no autocomplete: refused
        return reverse(route.name) + "?app_label=bulletins&model_name=issue&field_name=x"
    if "url" in route.params:  # the catch-all
        return "/admin/no-such-page/"
    if route.params == ("id",):  # a user's password form
        return reverse(route.name, kwargs={"id": world.users["secretary_a"].pk})
    return reverse(route.name)


def _history_record(model):
    """The oldest historical record of a row that still exists, or None (a historical
    model's own pk is ``history_id``: the row's id is under the original pk's name)."""
    pk_name = model._meta.pk.attname
    return (
        model.history.filter(**{f"{pk_name}__in": model._default_manager.values("pk")})
        .order_by("history_id")
        .first()
    )


def admin_expectation(route, role, world):
    """The rule: the administrator is let in (what a read-only admin refuses is 403);
    other signed-in users get 403 (a login would only send them back: a loop); anonymous
    users are sent to the admin's login page, which sends them to the application's login
    (two steps for administrators)."""
    from django.test import RequestFactory

    model, model_admin, action = _model_admin(route)
    if role == "anonymous":
        if route.name == "admin:login":
            return LOGIN
        if route.name == "admin:logout":
            return REDIRECT  # to the admin's index, which sends them to its login
        return ADMIN_LOGIN
    if role != "administrator":
        return 403  # signed in without the role: told so, never sent round to a login
    if route.name == "admin:login":
        return LOGIN
    if route.name in ("admin:logout",):
        return 405  # POST only
    if route.name == "admin:autocomplete":
        return 403  # no field named: refused by the view, after the permission check
    if route.name == "admin:view_on_site":
        return frozenset({REDIRECT, 404})  # 404 when the model has no page of its own
    if "url" in route.params:
        return 404
    if model is None:
        return 200
    request = RequestFactory().get("/admin/")
    request.user = world.users["administrator"]
    exists = model._default_manager.exists()
    if action == "old-change-url":
        return REDIRECT
    if action == "add":
        return 200 if model_admin.has_add_permission(request) else 403
    if action == "simple_history":
        if _history_record(model) is not None:
            return 200
        return 404 if exists else REDIRECT  # a row with no record of that number
    if action in ("change", "history"):
        return 200 if exists else REDIRECT
    if action == "delete":
        if not model_admin.has_delete_permission(request):
            return 403
        return 200 if exists else REDIRECT
    return 200


def test_every_admin_url_answers_every_role_by_the_rule(world):
    started = time.monotonic()
    routes = admin_routes()
    problems = []
    for route in routes:
        url = admin_url(route, world)
        for role in ROLES:
            expected = admin_expectation(route, role, world)
            got = answer(world.clients[role], "get", url)
            if not expected_matches(expected, got):
                problems.append(mismatch(route, url, "get", role, expected, got))
    print(f"admin matrix: {len(routes)} URLs x 8 roles, {time.monotonic() - started:.1f} s")
    assert len(routes) > 150, "the admin's URLs were not found"
    assert not problems, "\n".join(problems)


def test_only_alliance_a_removes_its_attachment_though_the_office_is_sent_back_too(world):
    """``file_remove`` answers 302 to all who may see the submission; the service is what
    refuses: only the alliance's own secretariat takes the file off."""
    attachment = world.objects["attachment_a"]
    url = reverse(
        "submissions:file_remove",
        kwargs={"submission_id": attachment.submission_id, "file_id": attachment.pk},
    )
    removed_by = []
    for role in ROLES:
        with transaction.atomic():
            world.clients[role].post(url)
            attachment.refresh_from_db()
            if attachment.removed_at is not None:
                removed_by.append(role)
            transaction.set_rollback(True)
    assert removed_by == ["secretary_a"]
