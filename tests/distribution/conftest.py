import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Each test stores its PDFs in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "http://testserver"
