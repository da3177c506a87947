"""core.segment: one owner of jieba's dictionary, so that every caller cuts text the same
way whatever ran first in the process."""

import json
import os
import subprocess
import sys
from pathlib import Path

from core import segment, text

ROOT = Path(__file__).resolve().parents[2]

# 「碳中和」 and 「揭榜挂帅」 are domain words jieba's own dictionary lacks.
TEXT = "化纤联盟召开碳中和技术路线研讨会，围绕碳达峰目标开展揭榜挂帅攻关，推动行业实现碳中和。"

# Run in a fresh process: compute what each side stores, in the order given on the command
# line ("archive" first: the archive's index is built before any fingerprint).
PROBE = """
import json, sys
import django
django.setup()
from distribution import search
from submissions.models import Submission
from submissions.services import _write_text  # the writer of Submission.fingerprint

def fingerprint():
    submission = Submission()
    _write_text(submission, title="标题", body_html="<p>%s</p>" % TEXT)
    return submission.fingerprint

TEXT = sys.argv[2]
out = {}
steps = {"archive": lambda: search.segment_for_index(TEXT), "fingerprint": fingerprint}
order = ["archive", "fingerprint"] if sys.argv[1] == "archive" else ["fingerprint", "archive"]
for step in order:
    out[step] = steps[step]()
print(json.dumps(out))
"""


def probe(first: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "citisa.settings"}
    env.setdefault("SECRET_KEY", "test-only-not-secret")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, first, TEXT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_fingerprints_do_not_depend_on_what_was_segmented_first():
    archive_first = probe("archive")
    fingerprint_first = probe("fingerprint")
    assert archive_first["fingerprint"]
    assert archive_first["fingerprint"] == fingerprint_first["fingerprint"]
    assert archive_first["archive"] == fingerprint_first["archive"]


def test_domain_words_are_words_for_every_caller():
    assert "碳中和" in text.words(TEXT)
    assert "揭榜挂帅" in text.words(TEXT)
    assert "碳中和" in segment.cut_for_search(TEXT)
    assert set(segment.DOMAIN_WORDS) <= set(segment.cut("，".join(segment.DOMAIN_WORDS)))
