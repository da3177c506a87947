"""The helpers every app's views share: a service's errors on the form, a safe ``next``."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.views import errors_to_form, safe_next


class NoteForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(required=False)


def bound():
    form = NoteForm({"action": "x", "comment": "typed"})
    assert form.is_valid()
    return form


def test_field_errors_land_on_their_field_and_the_rest_above_the_form():
    form = bound()
    errors_to_form(ValidationError({"comment": "太长。", "elsewhere": "不对。"}), form)
    assert form.errors["comment"] == ["太长。"]
    assert form.non_field_errors() == ["不对。"]
    assert form.data["comment"] == "typed"  # nothing typed is lost


def test_an_error_without_a_field_goes_above_the_form():
    form = bound()
    errors_to_form(ValidationError(["第一条。", "第二条。"]), form)
    assert form.non_field_errors() == ["第一条。", "第二条。"]


def test_only_the_named_fields_show_their_errors():
    form = bound()
    errors_to_form(ValidationError({"action": "不能这样做。"}), form, fields=("comment",))
    assert "action" not in form.errors  # a hidden field would not show it
    assert form.non_field_errors() == ["不能这样做。"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/issues/3/", "/issues/3/"),
        ("https://evil.example/", "/home/"),
        ("//evil.example/x", "/home/"),
        ("javascript:alert(1)", "/home/"),
        ("", "/home/"),
    ],
)
def test_next_is_followed_only_to_this_site(target, expected):
    post = RequestFactory().post("/x/", {"next": target})
    get = RequestFactory().get("/x/", {"next": target})
    assert safe_next(post, "/home/") == expected
    assert safe_next(get, "/home/") == expected
