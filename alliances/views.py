from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from accounts.permissions import can, require
from core.views import errors_to_form

from . import services
from .filters import AllianceFilter
from .forms import EvaluationPeriodForm
from .models import ActivityLevel
from .ratings import (
    a_level_alliances,
    alliance_activity,
    period_summaries,
    published_a_level_lists,
    published_list_rows,
)
from .selectors import access_alliance, alliance_list, alliances_for_user


@login_required
def alliance_index(request):
    """The registry for office staff; a secretariat user is taken to their own alliance."""
    if not can(request.user, "alliance.list_all"):
        own = list(alliances_for_user(request.user)[:2])
        if len(own) == 1:
            return redirect("alliances:detail", alliance_id=own[0].pk)
    filterset = AllianceFilter(request.GET, queryset=alliance_list(user=request.user))
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "alliances/index.html", {"filter": filterset, "page": page})


@login_required
def alliance_detail(request, alliance_id):
    alliance = access_alliance(request.user, alliance_id)
    return render(
        request,
        "alliances/detail.html",
        {
            "alliance": alliance,
            "may_manage": can(request.user, "alliance.manage"),
            "activity": alliance_activity(alliance),
            "may_rate": can(request.user, "alliance.rate"),
        },
    )


# --- 活跃度评价 ----------------------------------------------------------------------------
@login_required
def ratings_index(request):
    require(request.user, "alliance.statistics")
    form = EvaluationPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = services.evaluation_period_create(
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                notes=data["notes"],
                actor=request.user,
            )
        except ValidationError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, f"已建立评价期“{period.name}”，请为各联盟记录活跃度。")
            return redirect("reports:ratings_record", period_id=period.pk)
    return render(
        request,
        "alliances/ratings_index.html",
        {
            "form": form,
            "periods": period_summaries(),
            "levels": ActivityLevel.choices,
            "a_level": a_level_alliances(),
            "published": [(e, published_list_rows(e)) for e in published_a_level_lists()],
            "may_rate": can(request.user, "alliance.rate"),
        },
        status=400 if form.errors else 200,
    )
