"""The statistics pages (供稿统计 and its CSV/XLSX export) and the rating sheet of an
evaluation period, which shows each alliance's statistics beside its rating. The paths stay
under ``/alliances/``; the URL names are ``reports:*``."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.permissions import can, require
from alliances import services as alliance_services
from alliances.forms import RatingSheetForm
from alliances.models import EvaluationPeriod
from core.views import errors_to_form

from .charts import bar_chart, month_column_chart
from .exports import report_csv, report_xlsx
from .forms import PeriodForm
from .ratings import rating_sheet
from .statistics import SORT_COLUMNS, SUGGESTION_RULE, Period, period_statistics, sort_param

# --- statistics ---------------------------------------------------------------------------
PERIOD_KEYS = ("year", "date_from", "date_to")


@dataclass
class SortLink:
    key: str
    label: str
    href: str
    direction: str  # "ascending", "descending" or "" (not the sorted column)
    numeric: bool


def _period_params(form: PeriodForm) -> dict[str, str]:
    """The validated period, as query parameters (links never carry anything else)."""
    period = form.period()
    if period.is_year:
        return {"year": str(period.first_day.year)}
    return {"date_from": f"{period.first_day:%Y-%m-%d}", "date_to": f"{period.last_day:%Y-%m-%d}"}


def _sort_links(params: dict[str, str], sort: str) -> list[SortLink]:
    links = []
    for key, (label, _) in SORT_COLUMNS.items():
        current = sort.lstrip("-") == key
        descending = sort.startswith("-")
        # The sorted column flips; another starts with text A→Z and numbers largest first.
        first = key if key in ("name", "code") else f"-{key}"
        target = (key if descending else f"-{key}") if current else first
        links.append(
            SortLink(
                key=key,
                label=label,
                href="?" + urlencode({**params, "sort": target}),
                direction=("descending" if descending else "ascending") if current else "",
                numeric=key not in ("name", "code"),
            )
        )
    return links


def _charts(report):
    with_items = sorted(
        (row for row in report.rows if row.items),
        key=lambda row: (-row.items, row.alliance.code is None, row.alliance.code or ""),
    )
    bars = bar_chart(
        [(row.alliance.short_name, row.items) for row in with_items],
        title=f"{report.period.label}各联盟刊发稿件数",
        description="横向条形图，每行一个联盟，条长为该联盟在本期间印发的简报中刊发的稿件篇数，"
        f"共 {len(with_items)} 个联盟有稿件刊发。",
    )
    months = month_column_chart(
        report.monthly,
        title=f"{report.period.label}每月收到投稿数",
        description="柱状图，每列一个月，柱高为该月通过系统收到的投稿篇数（按首次提交时间计）。",
    )
    return bars if with_items else None, months


@login_required
def statistics(request):
    require(request.user, "alliance.statistics")
    form = PeriodForm(request.GET)
    sort = sort_param(request.GET.get("sort"))
    context = {"form": form, "sort": sort}
    if form.is_valid():
        report = period_statistics(form.period(), sort=sort)
        params = _period_params(form)
        bars, months = _charts(report)
        context.update(
            report=report,
            columns=_sort_links(params, sort),
            export_query=urlencode({**params, "sort": sort}),
            ratings_query=urlencode(params),
            bars=bars,
            months=months,
        )
    return render(request, "reports/statistics.html", context)


@login_required
def statistics_export(request, fmt):
    require(request.user, "alliance.statistics")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form = PeriodForm(request.GET)
    sort = sort_param(request.GET.get("sort"))
    if not form.is_valid():
        return render(request, "reports/statistics.html", {"form": form, "sort": sort}, status=400)
    report = period_statistics(form.period(), sort=sort, monthly=False)
    filename = f"联盟供稿统计-{report.period.slug}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(
            report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f"attachment; filename=\"alliance-statistics.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


# --- 活跃度评价: the rating sheet of one period ------------------------------------------
@login_required
def ratings_record(request, period_id):
    require(request.user, "alliance.statistics")
    period = get_object_or_404(EvaluationPeriod, pk=period_id)
    lines = rating_sheet(period)
    initial = {}
    for line in lines:
        initial[f"level_{line.alliance.pk}"] = line.initial_level
        initial[f"note_{line.alliance.pk}"] = line.current.note if line.current else ""
    data = request.POST if request.method == "POST" else None
    form = RatingSheetForm(data, initial=initial, alliance_ids=[x.alliance.pk for x in lines])
    if request.method == "POST":
        require(request.user, "alliance.rate")
        if form.is_valid():
            try:
                done = alliance_services.activity_ratings_record(
                    period_id=period.pk, decisions=form.decisions(), actor=request.user
                )
            except ValidationError as error:
                errors_to_form(error, form)
            else:
                messages.success(
                    request,
                    f"已保存“{period.name}”的活跃度评价：新增 {done.created} 条，"
                    f"修改 {done.changed} 条，撤销 {done.removed} 条。",
                )
                return redirect("reports:ratings_record", period_id=period.pk)
    sheet = [
        (line, form[f"level_{line.alliance.pk}"], form[f"note_{line.alliance.pk}"])
        for line in lines
    ]
    span = Period(period.starts_on, period.ends_on)
    query = {"date_from": f"{span.first_day:%Y-%m-%d}", "date_to": f"{span.last_day:%Y-%m-%d}"}
    return render(
        request,
        "reports/ratings_record.html",
        {
            "period": period,
            "span": span,
            "form": form,
            "sheet": sheet,
            "rule": SUGGESTION_RULE,
            "statistics_url": reverse("reports:statistics") + "?" + urlencode(query),
            "may_rate": can(request.user, "alliance.rate"),
        },
        status=400 if form.errors else 200,
    )
