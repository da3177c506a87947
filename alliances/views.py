from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from accounts.permissions import can

from .filters import AllianceFilter
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
        {"alliance": alliance, "may_manage": can(request.user, "alliance.manage")},
    )
