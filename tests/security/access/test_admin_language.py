"""Every page of the Django admin reads in Chinese: the administrator walks
every changelist, add, change, history and historical-record page (one row of each model
from the access matrix's world) and no visible English from the admin, django-axes or
django-simple-history remains — and the JavaScript catalogue the admin's widgets use
("Choose %s by selecting them…") is translated too."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .test_access_matrix import _model_admin, admin_routes, admin_url

pytestmark = pytest.mark.django_db

# English that the admin and its third-party apps show when a translation is missing.
LEAK = re.compile(
    r"\b(?:Choose|Chosen|Can (?:add|change|delete|view)|[Hh]istorical|Select|[Aa]ttempts?|"
    r"Access (?:attempt|log|failure)s?|Add|Change|Delete|History|Save|Search|Filter|Remove|"
    r"Revert|Home|Log ?out|View site|Username|Password|User agent|IP address|Date|Time|"
    r"Object|Action|Comment|Reason|Changed by|Field|Value|None|All|Yes|No|by selecting|"
    r"Available|Remove all|Show|Hide|Today|Now|Clear|Enter|Please|Name|Status)\b"
)
# What a page may show in Latin letters: codes, e-mail addresses, file names, model data.
ALLOWED = re.compile(r"^(?:[\w.+-]+@[\w.-]+|[\w./-]+\.(?:pdf|txt|png|docx?|md|csv|xlsx))$")


class VisibleText(HTMLParser):
    """The text a reader sees (and the attributes a screen reader or tooltip shows)."""

    SKIP = {"script", "style", "noscript", "template"}
    SHOWN_ATTRS = {"title", "alt", "placeholder", "aria-label", "value"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        attrs = dict(attrs)
        for name in self.SHOWN_ATTRS & attrs.keys():
            if name == "value" and attrs.get("type") not in ("submit", "button", "reset"):
                continue
            self.parts.append(attrs[name] or "")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_in(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for match in LEAK.finditer(part):
            context = part[max(0, match.start() - 20) : match.end() + 20].strip()
            found.append(f"{match.group(0)!r} in {context!r}")
    return found


def admin_pages(world):
    """Every admin page an administrator reads: index, app lists and each model's
    changelist, add, change, delete, history and one historical record."""
    urls = {reverse("admin:index")}
    for route in admin_routes():
        model, _, action = _model_admin(route)
        if route.name == "admin:app_list" or (model is not None and action != "old-change-url"):
            urls.add(admin_url(route, world))
    return sorted(urls)


def rows_for_the_admin_screens_the_world_lacks(world):
    """A group, and django-axes's rows (a failed login: attempt and failure; a successful
    one: a log), made as they are made in use."""
    from django.contrib.auth.models import Group, Permission
    from django.test import Client

    from tests.factories import PASSWORD

    group = Group.objects.create(name="联络组")
    group.permissions.set(Permission.objects.filter(codename__startswith="view_")[:5])
    user = world.users["editor"]
    login = reverse("accounts:login")
    Client().post(login, {"username": user.username, "password": "wrong-password"})
    Client().post(login, {"username": user.username, "password": PASSWORD})


def test_every_admin_page_is_in_chinese(world):
    client = world.clients["administrator"]
    rows_for_the_admin_screens_the_world_lacks(world)
    problems = []
    seen = 0
    for url in admin_pages(world):
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        problems += [f"{url}: {leak}" for leak in english_in(response.content.decode())]
    assert seen > 60, f"only {seen} admin pages answered 200"
    assert not problems, f"{len(problems)} English strings:\n" + "\n".join(problems)


def test_the_admin_widgets_script_catalogue_is_in_chinese(world):
    """The two-box chooser of groups and permissions is drawn by SelectFilter2.js from the
    admin's JavaScript catalogue (「Choose 组 by selecting them」 before): every
    sentence it shows must be there in Chinese."""
    import json

    client = world.clients["administrator"]
    script = client.get(reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    chooser = [
        'Choose %s by selecting them and then select the "Choose" arrow button.',
        'Remove %s by selecting them and then select the "Remove" arrow button.',
        "Available %s",
        "Chosen %s",
        "Choose all %s",
        "Choose selected %s",
        "Remove selected %s",
        "Remove all %s",
        "Filter",
        "(click to clear)",
    ]
    for english in chooser:
        assert re.search(r"[\u4e00-\u9fff]", catalogue.get(english, "")), english


def test_the_admin_carries_the_sites_favicon_and_header(world):
    client = world.clients["administrator"]
    page = client.get(reverse("admin:index")).content.decode()
    assert re.search(r'<link rel="icon"[^>]*favicon', page)
    assert "联盟简报编辑系统 · 系统管理" in page


def test_permission_names_are_chinese_after_migrate():
    """Django names permissions 「Can add <verbose_name>」 in English; after ``migrate`` the
    default ones read Chinese (citisa.permission_names), third-party apps' included."""
    from django.contrib.auth.models import Permission

    names = {
        f"{p.content_type.app_label}.{p.codename}": p.name
        for p in Permission.objects.select_related("content_type")
    }
    assert names["alliances.add_alliance"] == "可添加联盟"
    assert names["alliances.view_historicalalliance"] == "可查看联盟修改记录"
    assert names["auth.change_group"] == "可修改组"
    assert names["axes.delete_accessattempt"] == "可删除登录尝试"
    assert names["otp_totp.view_totpdevice"] == "可查看身份验证器"
    english = [
        f"{key}: {name}"
        for key, name in names.items()
        if re.search(r"[A-Za-z]{3,}", name.replace("PDF", ""))
    ]
    assert not english, english
