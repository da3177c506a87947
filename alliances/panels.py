"""What the alliance registry adds to the role workspaces on the home page."""

from django.db.models import Count, Q

from accounts.models import Role, RoleGrant
from accounts.selectors import panel_context

from .models import Alliance, NetworkMembership


@panel_context(Role.SECRETARIAT)
def secretariat_alliances(user):
    return {"my_alliances": list(Alliance.objects.filter(staff__user=user).order_by("full_name"))}


@panel_context(Role.EDITOR)
def registry_summary(user):
    counts = Alliance.objects.aggregate(
        total=Count("pk"),
        pilot=Count("pk", filter=Q(code__isnull=False) & ~Q(code__startswith="D")),
        network_code=Count("pk", filter=Q(code__startswith="D")),
    )
    counts["network_members"] = NetworkMembership.objects.filter(left_on__isnull=True).count()
    return {"registry": counts}


@panel_context(Role.ADMINISTRATOR)
def role_summary(user):
    rows = (
        RoleGrant.objects.filter(user__is_active=True)
        .values("role")
        .annotate(n=Count("pk"))
        .order_by("role")
    )
    labels = dict(Role.choices)
    return {"role_counts": [(labels[row["role"]], row["n"]) for row in rows]}
