"""The pages of calls for submissions: the list (and the form that opens one) and a call's
page, which is the board of who has and has not submitted for office staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import can
from core.views import errors_to_form

from . import calls, selectors
from .forms import CallForm
from .permissions import secretariat_alliance_ids


@login_required
def call_list(request):
    is_manager = can(request.user, "call.manage")
    if not (can(request.user, "call.view_board") or secretariat_alliance_ids(request.user)):
        raise Http404
    form = CallForm(request.POST or None) if is_manager else None
    if request.method == "POST":
        if not is_manager:
            raise Http404
        if form.is_valid():
            try:
                call = calls.call_open(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(error, form)
            else:
                messages.success(request, f"已发起征稿“{call.title}”。")
                return redirect("submissions:call", call_id=call.pk)
    listing = (
        selectors.calls_for_board()
        if can(request.user, "call.view_board")
        else selectors.open_calls()
    )
    return render(
        request,
        "submissions/calls.html",
        {
            "calls": listing,
            "form": form,
            "is_office": can(request.user, "call.view_board"),
            "today": timezone.localdate(),
        },
    )


@login_required
def call_detail(request, call_id):
    call = selectors.access_call(request.user, call_id)
    context = {"call": call}
    if can(request.user, "call.view_board"):
        context["sent"], context["not_sent"] = selectors.call_board(call)
        context["may_manage"] = can(request.user, "call.manage")
    else:
        context["mine"] = list(
            selectors.my_submissions(request.user).filter(call=call).order_by("-updated_at")
        )
    return render(request, "submissions/call.html", context)


@login_required
@require_POST
def call_close(request, call_id):
    call = selectors.access_call(request.user, call_id)
    if not can(request.user, "call.manage"):
        raise Http404
    calls.call_close(call_id=call.pk, actor=request.user)
    messages.success(request, "征稿已关闭。")
    return redirect(reverse("submissions:call", args=[call.pk]))
