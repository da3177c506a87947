"""Importing an old issue from the web: upload → preview → confirm.

The uploaded file is checked (decoded and parsed) and kept by
:mod:`bulletins.importer.staging` under a random name; the preview page's address carries a signed
token naming that file and the user who uploaded it. The confirmation saves what the
server parses from its own copy: nothing re-uploaded is trusted.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.permissions import require
from core.uploads import display_name

from ..forms import ImportMastheadForm, ImportUploadForm
from ..importer import BulletinParseError, decode_bulletin, parse_bulletin
from ..importer.blocks import SHAPE_LABELS
from ..importer.parse import MAX_BYTES
from ..importer.save import import_check, import_save_outcome
from ..importer.staging import PREVIEW_MAX_AGE, staged_path, staged_store
from ..models import Issue

SALT = "bulletins.import"


def _stored(request, token: str) -> tuple[Path, str]:
    """The kept file of ``token`` and its original name; 404 unless this user uploaded it."""
    try:
        data = signing.loads(token, salt=SALT, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    if data.get("user") != request.user.pk:
        raise Http404
    path = staged_path(data["key"])
    if path is None:
        raise Http404
    return path, data["name"]


@login_required
def import_upload(request):
    require(request.user, "issue.import")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_BYTES + 1)
        try:
            parse_bulletin(decode_bulletin(data))
        except BulletinParseError as error:
            form.add_error("file", f"这个文件不是可以导入的简报：{error}")
        else:
            key = staged_store(data)
            token = signing.dumps(
                {"key": key, "name": display_name(upload.name), "user": request.user.pk},
                salt=SALT,
            )
            return redirect("bulletins:import_preview", token=token)
    return render(request, "bulletins/import_upload.html", {"form": form})


@login_required
def import_preview(request, token):
    require(request.user, "issue.import")
    path, name = _stored(request, token)
    form = ImportMastheadForm(request.POST or None)
    options = form.options() if form.is_valid() else {}
    result = parse_bulletin(decode_bulletin(path.read_bytes()), **options)
    errors: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "save" and form.is_valid():
        try:
            outcome = import_save_outcome(
                result, actor=request.user, source_name=name, force=form.cleaned_data["force"]
            )
        except (ValidationError, PermissionDenied) as error:
            errors = getattr(error, "messages", None) or [str(error)]
        else:
            path.unlink(missing_ok=True)
            issue = outcome.issue
            if outcome.created:
                messages.success(request, f"已导入往期{issue.issue_line}，状态为已签发。")
            elif outcome.changed:
                messages.success(request, f"已重新导入{issue.issue_line}，内容已替换。")
            else:
                messages.info(request, f"{issue.issue_line}已导入过，内容相同，未作改动。")
            return redirect("bulletins:detail", issue_id=issue.pk)
    check = import_check(result)
    matches = iter(check.matches)
    sections = [
        (section, [(item, next(matches) if item.attribution else None) for item in section.items])
        for section in result.sections
    ]
    existing = None
    if result.masthead is not None:
        existing = Issue.objects.filter(
            volume_year=result.masthead.volume_year, number=result.masthead.number
        ).first()
    return render(
        request,
        "bulletins/import_preview.html",
        {
            "form": form,
            "name": name,
            "shape": SHAPE_LABELS[result.shape],
            "result": result,
            "sections": sections,
            "check": check,
            "existing": existing,
            "errors": errors,
            "item_count": len(result.items),
        },
    )
