"""The duplicate check: is a newly submitted text very like one we already have?

Computed by :func:`submissions.services.duplicates_refresh` when a submission is submitted
(inside the submit transaction) and stored as ``DuplicateWarning`` rows the editors see.

Cheap first, exact second: every submission stores a bottom-k sketch of its jieba term
shingles (``Submission.fingerprint``); the sketches of recent submissions are compared
(estimated Jaccard), and only the close ones are compared again with ``difflib``.

Hook for published items: the issue side registers a source that yields candidates, e.g.::

    from submissions.duplicates import Candidate, register_source

    @register_source
    def published_items(submission, sketch):
        for item in Item.objects.filter(published...)[:500]:
            yield Candidate(label=f"已刊发：{item.title}", url=item.get_absolute_url(),
                            text=item.plain_text, sketch=item.sketch_or_none)

A candidate with ``sketch=None`` is sketched on the fly (slower).
"""

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from core import text as textlib

from .models import Submission

SKETCH_THRESHOLD = 0.3  # estimated Jaccard above which the texts are compared exactly
WARN_THRESHOLD = 0.75  # difflib ratio (or Jaccard) from which the editors are warned
LOOKBACK = timedelta(days=365)
MAX_CANDIDATES = 3000
MAX_WARNINGS = 3


@dataclass
class Candidate:
    label: str
    text: str
    sketch: list[int] | None = None
    url: str = ""
    submission_id: int | None = None


@dataclass
class Match:
    candidate: Candidate
    score: float


_SOURCES: list[Callable] = []


def register_source(fn: Callable[..., Iterable[Candidate]]):
    """Register ``fn(submission, sketch) -> Iterable[Candidate]`` as more texts to compare."""
    _SOURCES.append(fn)
    return fn


def _recent_submissions(submission, _sketch) -> Iterable[Candidate]:
    since = timezone.now() - LOOKBACK
    rows = (
        Submission.objects.exclude(pk=submission.pk)
        .exclude(status__in=Submission.NOT_SENT)
        .filter(submitted_at__gte=since)
        .exclude(fingerprint="")
        .order_by("-submitted_at")
        .values_list("pk", "title", "alliance__short_name", "fingerprint")[:MAX_CANDIDATES]
    )
    for pk, title, alliance_name, fingerprint in rows:
        yield Candidate(
            label=f"{alliance_name}：{title}",
            text="",  # fetched only for the close ones
            sketch=textlib.sketch_load(fingerprint),
            submission_id=pk,
        )


def find_matches(submission, plain_text: str, sketch: list[int]) -> list[Match]:
    """The candidates most like ``plain_text``, best first (at most ``MAX_WARNINGS``)."""
    close: list[tuple[float, Candidate]] = []
    for source in [_recent_submissions, *_SOURCES]:
        for candidate in source(submission, sketch):
            other = candidate.sketch
            if other is None:
                other = textlib.sketch(candidate.text)
            estimate = textlib.sketch_similarity(sketch, other)
            if estimate >= SKETCH_THRESHOLD:
                close.append((estimate, candidate))
    close.sort(key=lambda pair: -pair[0])
    close = close[: MAX_WARNINGS * 3]
    texts = dict(
        Submission.objects.filter(
            pk__in=[c.submission_id for _, c in close if c.submission_id]
        ).values_list("pk", "search_text")
    )
    matches = []
    for estimate, candidate in close:
        other_text = texts.get(candidate.submission_id, candidate.text)
        ratio = difflib.SequenceMatcher(None, plain_text, other_text, autojunk=False).ratio()
        score = max(ratio, estimate)
        if score >= WARN_THRESHOLD:
            matches.append(Match(candidate=candidate, score=min(score, 1.0)))
    matches.sort(key=lambda m: -m.score)
    return matches[:MAX_WARNINGS]
