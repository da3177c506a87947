"""What every app's views share: a service's ValidationError shown on the form that sent
the data, and a safe page to go back to."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme


def errors_to_form(exc: ValidationError, form, *, fields=None) -> None:
    """Put a service's errors on ``form``: each on the field it names when the form has
    that field (and, given ``fields``, it is one of them: a hidden field shows no error),
    else above the form, so nothing typed is lost and every message shows."""
    shown = set(form.fields if fields is None else fields) & set(form.fields)
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in shown else None, errors)
    else:
        form.add_error(None, exc.messages)


def safe_next(request, default: str) -> str:
    """The page to go back to: ``next`` from the form (or the query string) when it is a
    path on this site, else ``default`` — never another site (an open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
