import pytest


@pytest.fixture(autouse=True)
def _fresh_health_report():
    """/healthz caches its answer for a few seconds; each test asks afresh."""
    from django.core.cache import cache

    from citisa.services import HEALTH_CACHE_KEY

    cache.delete(HEALTH_CACHE_KEY)
    yield
    cache.delete(HEALTH_CACHE_KEY)
