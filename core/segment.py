"""The one owner of jieba's dictionary.

jieba keeps one dictionary per process, and words added to it change how every later text
is cut: once 「碳中和」 is a word, 「实现碳中和目标」 is cut 「实现」「碳中和」「目标」 instead of
「实现」「碳中」「和」「目标」. Two modules that each loaded the dictionary (and one of them
added words) made the duplicate check's fingerprints depend on whether the archive search
had run earlier in the process. Here the dictionary is loaded, with the domain words, once
and before any text is cut, so every caller cuts the same way in every process.

Loading takes about 1.5 s and 60 MB: :func:`warm_up` does it at start (gunicorn's master
through ``citisa.wsgi``, Celery's worker parent through ``submissions.apps``); otherwise
the first cut does it.
"""

import logging
import threading

import jieba

# Words of the domain that jieba's dictionary lacks and would cut in two (「碳中和」 →
# 「碳中」「和」). Changing this list changes the terms of the archive's index and the
# submissions' fingerprints: run ``archive_reindex`` after.
DOMAIN_WORDS = ("碳中和", "碳达峰", "双碳", "协发网", "联盟协发网", "网员", "试点联盟", "揭榜挂帅")

_LOCK = threading.Lock()
_ready = False


def _ensure_ready() -> None:
    # Never twice, never half: a second thread waits for the first load to finish.
    global _ready
    if _ready:
        return
    with _LOCK:
        if not _ready:
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            for word in DOMAIN_WORDS:
                jieba.add_word(word)
            _ready = True


def warm_up(**_signal_kwargs) -> None:
    """Load the dictionary and the domain words now (a Celery ``worker_init`` receiver;
    also callable directly). Idempotent."""
    _ensure_ready()


def cut(text: str) -> list[str]:
    """The words of ``text`` in order, punctuation and spaces included (jieba's ``lcut``)."""
    _ensure_ready()
    return jieba.lcut(text or "")


def cut_for_search(text: str) -> list[str]:
    """The words of ``text`` and the shorter words inside them (「碳中和」 gives 「中和」 and
    「碳中和」), for an index that a query cut by :func:`cut` is looked up in."""
    _ensure_ready()
    return jieba.lcut_for_search(text or "")
