"""What the renderer needs from the machine: harfbuzz-subset and the bulletin's fonts."""

import pytest

from bulletins.rendering import RenderEnvironmentError, environment, render_pdf, warm_up
from bulletins.rendering.environment import (
    REQUIRED_FACES,
    RequiredFace,
    check_fonts,
    check_harfbuzz_subset,
)

from .seed_documents import build_seed_001


def test_libharfbuzz_subset_is_loaded():
    """Fails when the Debian package libharfbuzz-subset0 is missing: WeasyPrint would then
    embed CJK fonts through a fallback 20–30 times slower."""
    from weasyprint.text.ffi import harfbuzz_subset

    assert harfbuzz_subset is not None, "apt-get install libharfbuzz-subset0"
    check_harfbuzz_subset()


def test_a_cjk_issue_renders_in_seconds_not_tens_of_seconds():
    warm_up()
    result = render_pdf(build_seed_001())
    assert result.seconds < 5, f"{result.seconds:.1f} s: is harfbuzz-subset in use?"


def test_missing_harfbuzz_subset_is_a_clear_error(monkeypatch):
    import weasyprint.text.ffi

    monkeypatch.setattr(weasyprint.text.ffi, "harfbuzz_subset", None)
    with pytest.raises(RenderEnvironmentError, match="libharfbuzz-subset0"):
        check_harfbuzz_subset()
    with pytest.raises(RenderEnvironmentError, match="libharfbuzz-subset0"):
        render_pdf(build_seed_001())
    with pytest.raises(RenderEnvironmentError, match="libharfbuzz-subset0"):
        warm_up(force=True)


def test_warm_up_finds_every_face():
    warm_up(force=True)
    warm_up()  # a second call is free


def test_a_missing_font_is_detected_and_names_its_package():
    """Fontconfig silently substitutes a missing family; the check sees the substitute."""
    faces = (
        *REQUIRED_FACES,
        RequiredFace("Citisa Missing Kai SC", "normal", "Citisa-Missing-Kai-SC", "fonts-x", "字"),
    )
    with pytest.raises(RenderEnvironmentError) as caught:
        check_fonts(faces)
    message = str(caught.value)
    assert "Citisa Missing Kai SC" in message
    assert "fonts-x" in message
    assert "apt-get install fonts-x" in message
    assert "fonts-noto-cjk" not in message  # only what is missing


def test_warm_up_raises_on_a_missing_font(monkeypatch):
    faces = (RequiredFace("Citisa Missing SC", "bold", "Citisa-Missing-SC-Bold", "fonts-y", "字"),)
    monkeypatch.setattr(environment, "REQUIRED_FACES", faces)
    monkeypatch.setattr(environment.check_fonts, "__defaults__", (faces,))
    with pytest.raises(RenderEnvironmentError, match="fonts-y"):
        warm_up(force=True)
