"""Benchmark: the PDF of 2023年第1期 (seed 001) by WeasyPrint, with headless Chromium as the peer.

    SECRET_KEY=t .venv/bin/python bench/bench_render.py [--runs 7] [--strict] [--smoke]

Measures, each in a process of its own so that peak memory (maxrss from wait4) belongs to
one engine and one mode:
- WeasyPrint warm: after warm_up() and one render, the median of --runs renders in-process
  (what a worker does for every render after the first);
- WeasyPrint cold: a fresh Python process that imports Django and WeasyPrint and renders
  once (wall time of the whole process, median of --runs processes);
- Chromium warm: Playwright with Debian's /usr/bin/chromium, browser already started,
  page.pdf() of the same HTML (median of --runs);
- Chromium cold: `chromium --headless --print-to-pdf` of the same HTML file, per process.

Targets: WeasyPrint warm median <= 1.0 s, peak <= 300 MB, PDF <= 1 MiB, faster than
Chromium. --strict exits 1 when one is missed. --smoke: one WeasyPrint run of each mode,
no Chromium peer, no target enforced (--strict is ignored).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-pdf-header-footer",
]
TARGET_WARM_S = 1.0
TARGET_PEAK_MB = 300
TARGET_PDF_BYTES = 1024 * 1024


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citisa.settings")
    import django

    django.setup()


def seed_document():
    from tests.bulletins.seed_documents import build_seed_001

    return build_seed_001()


def pdf_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


# ---- children -------------------------------------------------------------------------
def child_weasy_warm(runs: int) -> dict:
    setup_django()
    from bulletins.rendering import render_pdf, warm_up

    warm_up()
    document = seed_document()
    render_pdf(document)  # the first render of the process loads the faces
    times, cpu, result = [], [], None
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = render_pdf(document)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return {"times": times, "cpu": cpu, "pages": result.pages, "bytes": len(result.pdf)}


def child_weasy_cold() -> dict:
    started = time.perf_counter()
    setup_django()
    from bulletins.rendering import render_pdf

    document = seed_document()
    cpu_started = time.process_time()
    result = render_pdf(document)
    return {
        "render_s": result.seconds,
        "render_cpu": time.process_time() - cpu_started,
        "process_s": time.perf_counter() - started,
        "pages": result.pages,
        "bytes": len(result.pdf),
    }


def _process_tree_cpu(root: int, skip_names=("node",)) -> float:
    """CPU seconds (user + system) of the live descendants of ``root``, from /proc, leaving
    out the Playwright driver (node)."""
    parents, stats = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        parents[int(entry.name)] = int(fields[1])
        stats[int(entry.name)] = (name, int(fields[11]) + int(fields[12]))
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid, (name, cpu) in stats.items():
        ancestor = parents.get(pid)
        while ancestor and ancestor != root:
            ancestor = parents.get(ancestor)
        if ancestor == root and name not in skip_names:
            total += cpu
    return total / ticks


def child_chromium_warm(html_path: str, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.goto(Path(html_path).as_uri())
        page.pdf(prefer_css_page_size=True)  # warm-up
        times, cpu, pdf = [], [], b""
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), _process_tree_cpu(os.getpid())
            page.goto(Path(html_path).as_uri())
            pdf = page.pdf(prefer_css_page_size=True)
            times.append(time.perf_counter() - started)
            cpu.append(_process_tree_cpu(os.getpid()) - cpu_started)
        browser.close()
    return {"times": times, "cpu": cpu, "pages": pdf_pages(pdf), "bytes": len(pdf)}


# ---- parent ---------------------------------------------------------------------------
@dataclass
class Row:
    engine: str
    mode: str
    seconds: float  # median wall seconds
    peak_mb: float
    pages: int
    size: int
    cpu: float | None = None  # median CPU seconds of the render, where measured


def run_child(args: list[str]) -> tuple[dict | None, float, float]:
    """Run a child; return (its JSON output or None, wall seconds, peak RSS in MB)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"child failed ({process.returncode}): {' '.join(args)}\n{text}")
    data = json.loads(text.strip().splitlines()[-1]) if text.strip() else None
    return data, wall, usage.ru_maxrss / 1024  # Linux: kilobytes


def self_args(*extra: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *extra]


def weasyprint_rows(runs: int) -> list[Row]:
    warm, _, warm_rss = run_child(self_args("--child", "weasy-warm", "--runs", str(runs)))
    rows = [
        Row(
            "WeasyPrint 70",
            "warm, in-process",
            median(warm["times"]),
            warm_rss,
            warm["pages"],
            warm["bytes"],
            cpu=median(warm["cpu"]),
        )
    ]
    cold = [run_child(self_args("--child", "weasy-cold")) for _ in range(runs)]
    rows.append(
        Row(
            "WeasyPrint 70",
            "fresh process (wall)",
            median([wall for _, wall, _ in cold]),
            max(rss for _, _, rss in cold),
            cold[0][0]["pages"],
            cold[0][0]["bytes"],
            cpu=median([data["render_cpu"] for data, _, _ in cold]),
        )
    )
    return rows


def chromium_rows(html_path: Path, runs: int) -> list[Row]:
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: no peer figures")
        return []
    data, _, rss = run_child(
        self_args("--child", "chromium-warm", "--html", str(html_path), "--runs", str(runs))
    )
    rows = [
        Row(
            "Chromium (Playwright)",
            "warm, browser open",
            median(data["times"]),
            rss,
            data["pages"],
            data["bytes"],
            cpu=median(data["cpu"]),
        )
    ]
    walls, peaks, pdf = [], [], b""
    for n in range(runs):
        out = html_path.parent / f"chromium-{n}.pdf"
        profile = html_path.parent / f"profile-{n}"
        command = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
        command += [f"--print-to-pdf={out}", html_path.as_uri()]
        _, wall, peak = run_child(command)
        walls.append(wall)
        peaks.append(peak)
        pdf = out.read_bytes()
    rows.append(
        Row(
            "Chromium --print-to-pdf",
            "fresh process (wall)",
            median(walls),
            max(peaks),
            pdf_pages(pdf),
            len(pdf),
        )
    )
    return rows


def print_table(rows: list[Row]) -> None:
    header = (
        f"{'engine':<24} {'mode':<21} {'median s':>8} {'CPU s':>6} {'peak MB':>7} "
        f"{'pages':>5} {'PDF KiB':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        cpu = f"{r.cpu:6.3f}" if r.cpu is not None else f"{'':6}"
        print(
            f"{r.engine:<24} {r.mode:<21} {r.seconds:8.3f} {cpu} {r.peak_mb:7.0f} "
            f"{r.pages:5d} {r.size / 1024:7.0f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="one run of each, no target")
    parser.add_argument("--child", choices=["weasy-warm", "weasy-cold", "chromium-warm"])
    parser.add_argument("--html")
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.strict = 1, False
    elif args.runs < 5 and not args.child:
        parser.error("--runs must be at least 5 (medians of fewer are noise)")

    if args.child == "weasy-warm":
        print(json.dumps(child_weasy_warm(args.runs)))
        return 0
    if args.child == "weasy-cold":
        print(json.dumps(child_weasy_cold()))
        return 0
    if args.child == "chromium-warm":
        print(json.dumps(child_chromium_warm(args.html, args.runs)))
        return 0

    print(f"2023年第1期（总第66期） (seed 001), {args.runs} runs per figure, load {load()}")
    rows = weasyprint_rows(args.runs)
    if args.smoke:
        # Our engine in both modes is what the smoke run must keep working; the peer's
        # figures take as long again and say nothing about our code.
        print("smoke run: no Chromium peer")
    else:
        # The peer prints the very same HTML (CSS inline, no images in this issue).
        setup_django()
        from bulletins.rendering.markup import print_html

        with tempfile.TemporaryDirectory() as folder:
            html_path = Path(folder) / "issue.html"
            html_path.write_text(print_html(seed_document()), encoding="utf-8")
            rows += chromium_rows(html_path, args.runs)

    print()
    print_table(rows)
    print("\nmedian s: wall clock; CPU s: CPU time of the render (WeasyPrint: its process;")
    print("  Chromium warm: all its processes, from /proc, 10 ms ticks);")
    print("peak MB: maxrss of the child from wait4 (for Chromium: its largest process).")
    print(f"load average after the run: {load()}")

    warm, cold = rows[0], rows[1]
    verdicts = [
        (f"WeasyPrint warm median <= {TARGET_WARM_S} s", warm.seconds <= TARGET_WARM_S),
        (f"peak memory <= {TARGET_PEAK_MB} MB", max(warm.peak_mb, cold.peak_mb) <= TARGET_PEAK_MB),
        ("PDF <= 1 MiB", warm.size <= TARGET_PDF_BYTES),
    ]
    for peer in rows[2:]:
        mine = warm if peer.mode.startswith("warm") else cold
        verdicts.append((f"faster than {peer.engine}, {peer.mode}", mine.seconds < peer.seconds))
    print()
    for label, ok in verdicts:
        print(f"  {'ok    ' if ok else 'MISSED'} {label}")
    if args.smoke:
        print("  (smoke run: one render each, targets not enforced)")
    return 1 if args.strict and not all(ok for _, ok in verdicts) else 0


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
