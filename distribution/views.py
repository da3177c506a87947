"""The lists, the dispatches with their progress and receipts, the recipients' download
links, and the archive. Writes go through ``services`` and reads through ``selectors``; the
archive pages still put the search together and check the image paths they serve here."""

import mimetypes
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can, require
from core.sanitise import media_path_from_url
from core.views import errors_to_form, safe_next

from . import search, selectors, services
from .delivery import ACTION_LABELS, InvalidTransition
from .filters import DeliveryFilter
from .forms import ArchiveSearchForm, ContactForm, ContactImportForm, OrganisationForm
from .links import LinkGone, LinkInvalid, delivery_from_token
from .models import DeliveryEvent, DistributionList
from .publication import document_from_data
from .sheets import COLUMN_LABELS, SheetError, contacts_csv, contacts_xlsx

# --- Lists ------------------------------------------------------------------------------


def _lists_page(
    request, *, contact_form=None, organisation_form=None, import_form=None, status=200
):
    may_manage = can(request.user, "distribution.manage_lists")
    return render(
        request,
        "distribution/lists.html",
        {
            "lists": selectors.lists_overview(),
            "printed": selectors.printed_lists(),
            "may_manage": may_manage,
            "contact_form": contact_form or ContactForm(),
            "organisation_form": organisation_form or OrganisationForm(),
            "import_form": import_form or ContactImportForm(),
            "recent_imports": selectors.recent_imports(user=request.user),
        },
        status=status,
    )


@login_required
def lists_index(request):
    require(request.user, "distribution.view")
    return _lists_page(request)


@login_required
@require_POST
def contact_add(request):
    require(request.user, "distribution.manage_lists")
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = services.contact_add(
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                actor=request.user,
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, f"已添加联系人 {contact.name}（{contact.email}）。")
            return redirect("distribution:lists")
    return _lists_page(request, contact_form=form, status=400)


@login_required
@require_POST
def organisation_add(request):
    require(request.user, "distribution.manage_lists")
    form = OrganisationForm(request.POST)
    if form.is_valid():
        dist_list = get_object_or_404(DistributionList, kind=form.cleaned_data["kind"])
        try:
            organisation = services.organisation_add(
                distribution_list=dist_list, name=form.cleaned_data["name"], actor=request.user
            )
        except ValidationError as error:
            errors_to_form(error, form, fields=("name",))
        else:
            messages.success(request, f"已将“{organisation.name}”加入{dist_list}。")
            return redirect("distribution:lists")
    return _lists_page(request, organisation_form=form, status=400)


@login_required
def contacts_import(request):
    require(request.user, "distribution.manage_lists")
    if request.method != "POST":
        return redirect("distribution:lists")
    form = ContactImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.contacts_import(
                data=upload.read(), filename=upload.name, actor=request.user
            )
        except SheetError as error:
            form.add_error("file", str(error))
        else:
            return redirect("distribution:import_report", import_id=report.pk)
    return _lists_page(request, import_form=form, status=400)


@login_required
def import_report(request, import_id):
    report = selectors.access_contact_import(request.user, import_id)
    rows = [
        (entry["row"], [entry["values"].get(key, "") for key in COLUMN_LABELS], entry["reasons"])
        for entry in report.rejected
    ]
    return render(
        request,
        "distribution/import_report.html",
        {"report": report, "columns": COLUMN_LABELS.values(), "rows": rows},
    )


@login_required
def import_rejected_csv(request, import_id):
    """The refused rows with their reasons, to fix and upload again."""
    report = selectors.access_contact_import(request.user, import_id)
    keys = list(COLUMN_LABELS)
    rows = [["原行号", *COLUMN_LABELS.values(), "未导入原因"]]
    for entry in report.rejected:
        values = entry["values"]
        rows.append(
            [entry["row"], *(values.get(key, "") for key in keys), "；".join(entry["reasons"])]
        )
    response = HttpResponse(contacts_csv(rows), content_type="text/csv; charset=utf-8")
    _attachment(response, f"未导入的联系人-{report.pk}.csv")
    return response


@login_required
def contacts_export(request, fmt):
    require(request.user, "distribution.manage_lists")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = selectors.contacts_export_rows()
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        response = HttpResponse(
            contacts_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        _attachment(response, f"简报分发联系人-{stamp}.xlsx")
    else:
        response = HttpResponse(contacts_csv(rows), content_type="text/csv; charset=utf-8")
        _attachment(response, f"简报分发联系人-{stamp}.csv")
    return response


def _attachment(response, filename: str) -> None:
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"


# --- Dispatches ---------------------------------------------------------------------------


@login_required
def dispatch_index(request):
    require(request.user, "distribution.view")
    page = Paginator(selectors.dispatch_list(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "distribution/dispatch_index.html", {"page": page})


@login_required
def dispatch_detail(request, dispatch_id):
    dispatch = selectors.access_dispatch(request.user, dispatch_id)
    filterset = DeliveryFilter(request.GET, queryset=selectors.dispatch_deliveries(dispatch))
    page = Paginator(
        filterset.qs.prefetch_related(
            Prefetch("events", queryset=DeliveryEvent.objects.select_related("actor"))
        ),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "distribution/dispatch_detail.html",
        {
            "dispatch": dispatch,
            "progress": selectors.dispatch_progress(dispatch),
            "receipts": selectors.dispatch_receipts(dispatch),
            "filter": filterset,
            "page": page,
            "action_labels": ACTION_LABELS,
            "may_deliver": can(request.user, "distribution.deliver"),
        },
    )


@login_required
@never_cache
def dispatch_progress(request, dispatch_id):
    """The HTMX fragment polled every 2 s; once nothing is queued or sending it comes back
    without its polling trigger, and the polling stops."""
    dispatch = selectors.access_dispatch(request.user, dispatch_id)
    return render(
        request,
        "distribution/_progress.html",
        {"dispatch": dispatch, "progress": selectors.dispatch_progress(dispatch)},
    )


def _delivery_action(request, dispatch_id, delivery_id, action):
    dispatch = selectors.access_dispatch(request.user, dispatch_id)
    delivery = selectors.access_delivery(request.user, dispatch, delivery_id)
    if not can(request.user, "distribution.deliver"):
        raise PermissionDenied
    who = f"{delivery.name}（{delivery.email}）"
    if action == "resend":
        try:
            services.delivery_resend(delivery_id=delivery.pk, actor=request.user)
        except InvalidTransition:
            messages.info(request, f"{who}的邮件仍在发送队列中，无需重发。")
        else:
            messages.success(request, f"已安排向{who}重新发送。")
    elif action == "revoke":
        services.delivery_link_revoke(delivery_id=delivery.pk, actor=request.user)
        messages.success(request, f"已撤销{who}的下载链接，原链接将无法使用。")
    elif action == "reissue":
        services.delivery_link_reissue(delivery_id=delivery.pk, actor=request.user)
        messages.success(request, f"已为{who}生成新的下载链接并重新发送邮件，旧链接已失效。")
    return redirect(_back_to(request, dispatch))


def _back_to(request, dispatch) -> str:
    return safe_next(request, reverse("distribution:dispatch", kwargs={"dispatch_id": dispatch.pk}))


@login_required
@require_POST
def delivery_resend(request, dispatch_id, delivery_id):
    return _delivery_action(request, dispatch_id, delivery_id, "resend")


@login_required
@require_POST
def delivery_revoke(request, dispatch_id, delivery_id):
    return _delivery_action(request, dispatch_id, delivery_id, "revoke")


@login_required
@require_POST
def delivery_reissue(request, dispatch_id, delivery_id):
    return _delivery_action(request, dispatch_id, delivery_id, "reissue")


@login_required
@require_POST
def dispatch_resend_failed(request, dispatch_id):
    dispatch = selectors.access_dispatch(request.user, dispatch_id)
    count = services.dispatch_resend_failed(dispatch_id=dispatch.pk, actor=request.user)
    if count:
        messages.success(request, f"已安排向 {count} 位发送失败的接收人重新发送。")
    else:
        messages.info(request, "没有发送失败的接收人。")
    return redirect(_back_to(request, dispatch))


# --- The recipients' links -----------------------------------------------------------------


def _link_error(request, error):
    status = error.status
    reason = getattr(error, "reason", "")
    return render(request, "distribution/link_error.html", {"reason": reason}, status=status)


@never_cache
@require_GET
def download_page(request, token):
    """The page a recipient lands on from the e-mail; the download itself is the receipt."""
    try:
        delivery = delivery_from_token(token)
    except (LinkInvalid, LinkGone) as error:
        return _link_error(request, error)
    dispatch = delivery.dispatch
    correction = dispatch.corrections.order_by("-edition").first()
    return render(
        request,
        "distribution/download.html",
        {"delivery": delivery, "dispatch": dispatch, "token": token, "correction": correction},
    )


@never_cache
@require_GET
def download_pdf(request, token):
    try:
        delivery = delivery_from_token(token)
    except (LinkInvalid, LinkGone) as error:
        return _link_error(request, error)
    dispatch = delivery.dispatch
    try:
        handle = default_storage.open(dispatch.pdf_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    services.delivery_record_download(delivery=delivery)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=dispatch.pdf_filename,
        content_type="application/pdf",
    )


# --- Archive ---------------------------------------------------------------------------------


def _archive_gate(request):
    if selectors.archive_open_to(request.user):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


@require_GET
def archive_index(request):
    gate = _archive_gate(request)
    if gate:
        return gate
    form = ArchiveSearchForm(request.GET)
    query, year, terms = "", None, []
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        year = form.cleaned_data["year"]
    entries = selectors.archive_entries(year=year, with_document=bool(query))
    if query:
        terms = search.query_terms(query)
        entries = search.search(entries, query)
    page = Paginator(entries, 20).get_page(request.GET.get("page"))
    results = [
        (entry, search.matching_items(entry.document, terms) if terms else []) for entry in page
    ]
    return render(
        request,
        "distribution/archive_index.html",
        {
            "form": form,
            "query": query,
            "year": year,
            "terms": terms,
            "years": selectors.archive_years(),
            "page": page,
            "results": results,
        },
    )


@require_GET
def archive_issue(request, issue_id):
    """The web edition, rendered from the archived content by the bulletin's own renderer
    (which sanitises the bodies again); its images come through ``archive_image``."""
    # Imported here: WeasyPrint takes half a second to import, and the URL configuration
    # (loaded by every worker that builds a link) should not pay for it.
    from bulletins.rendering import render_web_edition

    gate = _archive_gate(request)
    if gate:
        return gate
    entry = selectors.access_archive_entry(request.user, issue_id)
    document = document_from_data(entry.document)

    def image_url(path):
        return reverse("distribution:archive_image", kwargs={"issue_id": issue_id, "path": path})

    return HttpResponse(render_web_edition(document, image_url=image_url))


@require_GET
def archive_image(request, issue_id, path):
    """An image of an archived issue: only the paths its own content shows."""
    gate = _archive_gate(request)
    if gate:
        return gate
    entry = selectors.access_archive_entry(request.user, issue_id)
    path = media_path_from_url(path)
    if path is None or path not in search.image_paths(entry.document):
        raise Http404
    try:
        handle = default_storage.open(path, "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404 from None
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if not content_type.startswith("image/"):
        raise Http404
    return FileResponse(handle, content_type=content_type)


@require_GET
def archive_pdf(request, issue_id):
    gate = _archive_gate(request)
    if gate:
        return gate
    entry = selectors.access_archive_entry(request.user, issue_id)
    try:
        handle = default_storage.open(entry.pdf_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    suffix = "更正版" if entry.is_corrected else ""
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"联盟试点工作简报{entry.issue_line}{suffix}.pdf",
        content_type="application/pdf",
    )
