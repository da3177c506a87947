"""What the reports add to the role workspaces on the home page: this year's figures."""

from django.db.models import Count
from django.utils import timezone

from accounts.models import Role
from accounts.selectors import panel_context
from alliances.models import EvaluationPeriod

from .statistics import Period, period_statistics


def activity_summary(user):
    """This year's figures and the latest evaluation period, with links to both pages."""
    report = period_statistics(Period.year(timezone.localdate().year), monthly=False)
    latest = (
        EvaluationPeriod.objects.annotate(rated=Count("ratings")).order_by("-starts_on").first()
    )
    return {
        "activity_panel": {
            "report": report,
            "totals": report.totals,
            "silent": len(report.silent),
            "latest_period": latest,
        }
    }


panel_context(Role.EDITOR)(activity_summary)
panel_context(Role.ADMINISTRATOR)(activity_summary)
