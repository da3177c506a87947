"""The 采用 confirmation page. Thin: the rules live in ``submissions.confirmation``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from . import confirmation, selectors
from .confirmation import ConfirmationError
from .forms import DecisionForm


@login_required
@never_cache
def submission_accept(request, submission_id):
    """GET: the confirmation. POST with its token: 采用. POST without one (the 采用 button of
    the submission page, or a forged request): nothing changes, the confirmation is shown
    with the typed comment kept."""
    submission = selectors.access_submission(request.user, submission_id)
    try:
        confirmation.accept_check(submission, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("submissions:detail", submission_id=submission.pk)
    form = DecisionForm(request.POST or None, initial={"action": "accept"})
    status = 200
    if request.method == "POST":
        comment = request.POST.get("comment", "")
        try:
            confirmation.confirmed_accept(
                submission_id=submission.pk,
                actor=request.user,
                token=request.POST.get("confirmation", ""),
                comment=comment,
            )
        except ConfirmationError as error:
            messages.info(request, " ".join(error.messages))
            status = 400 if request.POST.get("confirmation") else 200
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("submissions:detail", submission_id=submission.pk)
        else:
            messages.success(request, "已采用。秘书处会收到采用通知，稿件可以编入期次了。")
            return redirect("submissions:detail", submission_id=submission.pk)
    context = {
        "submission": submission,
        "form": form,
        "token": confirmation.accept_token(submission=submission, user=request.user),
        "latest": submission.versions.order_by("-number").first(),
        "duplicates": submission.duplicate_warnings.count(),
    }
    return render(request, "submissions/accept_confirm.html", context, status=status)
