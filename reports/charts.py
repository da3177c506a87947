"""Server-rendered SVG charts: the geometry is computed here, the markup is written by
templates (``reports/_chart_bars.html``, ``reports/_chart_columns.html``), so every
name goes through Django's auto-escaping. No JavaScript, nothing fetched from elsewhere."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date


def nice_ticks(maximum: int, *, most: int = 5) -> list[int]:
    """0 and round steps (1, 2, 5 × 10ⁿ) up to at least ``maximum``, at most ``most`` + 1."""
    maximum = max(int(maximum), 1)
    step = 1
    while True:
        for factor in (1, 2, 5):
            candidate = step * factor
            if math.ceil(maximum / candidate) <= most:
                top = math.ceil(maximum / candidate) * candidate
                return list(range(0, top + 1, candidate))
        step *= 10


@dataclass
class Bar:
    label: str
    value: int
    y: float
    width: float
    text_y: float
    value_x: float


@dataclass
class Tick:
    value: int
    x: float


@dataclass
class BarChart:
    title: str
    description: str
    width: int
    height: int
    label_width: int
    plot_width: int
    row_height: int
    top: int
    bars: list[Bar]
    ticks: list[Tick]
    axis_y: float


def bar_chart(pairs: list[tuple[str, int]], *, title: str, description: str) -> BarChart:
    """A horizontal bar per (label, value), in the order given."""
    label_width, plot_width, row_height, top = 200, 520, 24, 28
    ticks = nice_ticks(max((v for _, v in pairs), default=1))
    scale = plot_width / ticks[-1]
    bars = [
        Bar(
            label=label,
            value=value,
            y=top + i * row_height + 4,
            width=round(value * scale, 1),
            text_y=top + i * row_height + row_height / 2 + 5,
            value_x=label_width + round(value * scale, 1) + 6,
        )
        for i, (label, value) in enumerate(pairs)
    ]
    axis_y = top + len(pairs) * row_height + 2
    return BarChart(
        title=title,
        description=description,
        width=label_width + plot_width + 50,
        height=int(axis_y) + 24,
        label_width=label_width,
        plot_width=plot_width,
        row_height=row_height - 8,
        top=top,
        bars=bars,
        ticks=[Tick(value=t, x=label_width + round(t * scale, 1)) for t in ticks],
        axis_y=axis_y,
    )


@dataclass
class Column:
    label: str
    year_label: str
    tip: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    show_label: bool


@dataclass
class YTick:
    value: int
    y: float


@dataclass
class ColumnChart:
    title: str
    description: str
    width: int
    height: int
    left: int
    right: float
    base_y: int
    top: int
    columns: list[Column]
    ticks: list[YTick]


def month_column_chart(
    monthly: list[tuple[date, int]], *, title: str, description: str
) -> ColumnChart:
    """One column per month; the month is labelled under every column while they fit, else
    every third month; the year under the first column and under every January."""
    left, top, plot_height = 44, 20, 200
    slot = max(18, min(48, 720 // max(len(monthly), 1)))
    ticks = nice_ticks(max((n for _, n in monthly), default=1), most=4)
    scale = plot_height / ticks[-1]
    base_y = top + plot_height
    crowded = len(monthly) > 18
    columns = []
    for i, (month, n) in enumerate(monthly):
        height = round(n * scale, 1)
        x = left + i * slot
        first = i == 0 or month.month == 1
        columns.append(
            Column(
                label=f"{month.month}月",
                year_label=f"{month.year}年" if first else "",
                tip=f"{month.year}年{month.month}月：{n} 篇",
                value=n,
                x=x + slot * 0.15,
                y=base_y - height,
                width=round(slot * 0.7, 1),
                height=height,
                label_x=x + slot / 2,
                show_label=(not crowded) or first or month.month in (4, 7, 10),
            )
        )
    right = left + len(monthly) * slot
    return ColumnChart(
        title=title,
        description=description,
        width=int(right) + 50,
        height=base_y + 44,
        left=left,
        right=right,
        base_y=base_y,
        top=top,
        columns=columns,
        ticks=[YTick(value=t, y=base_y - round(t * scale, 1)) for t in ticks],
    )
