"""Issue 17, finding 2: an upload's picture processing runs in bounded memory.

Measured in a fresh process (the figure is its resident memory, which a test process
full of other tests' allocations could not give): a 25 MP RGBA PNG — the largest accepted
— checked alone and six at once in threads, as the web process does it. Before, one cost
~340 MB above the baseline and six ~1.9 GB; the attack's 1-bit PNG of 6,300 × 6,300 px
was accepted. bench/bench_upload_memory.py prints the figures for more kinds of picture."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import UploadRejected, check_upload
from tests.security.test_uploads import png_header

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024

MEASURE = r"""
import gc, io, json, threading
from PIL import Image, ImageDraw
from django.core.files.uploadedfile import SimpleUploadedFile
from core.uploads import check_upload

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024

def reset_peak():
    gc.collect()
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")

def upload(data):
    check_upload(SimpleUploadedFile("透明.png", data), allowed={"png"})

picture = Image.new("RGBA", (5000, 5000), (30, 120, 60, 128))
ImageDraw.Draw(picture).ellipse((100, 100, 2000, 2000), fill=(250, 10, 10, 255))
out = io.BytesIO()
picture.save(out, format="PNG", compress_level=1)
data = out.getvalue()
del picture, out
small = io.BytesIO()
Image.new("RGB", (64, 64)).save(small, format="PNG")
upload(small.getvalue())  # imports, codecs, first arenas
gc.collect()
baseline = status("VmRSS")
reset_peak(); upload(data); one = status("VmHWM")
threads = [threading.Thread(target=upload, args=(data,)) for _ in range(6)]
reset_peak()
for t in threads: t.start()
for t in threads: t.join()
six = status("VmHWM")
gc.collect()
print(json.dumps({"one": one - baseline, "six": six - baseline, "after": status("VmRSS") - baseline}))
"""


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_one_upload_and_six_at_once_stay_under_200_mb_and_give_it_back():
    result = subprocess.run(
        [sys.executable, "-c", MEASURE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "test-only"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["one"] <= 200 * MB, figures
    assert figures["six"] <= 200 * MB, figures
    assert figures["after"] <= 20 * MB, figures


def test_the_attacks_picture_is_refused_from_its_header():
    """6,300 × 6,300 px (39.7 MP) is more than a bulletin can print: refused before a pixel
    is decoded (a header that declares it is enough), with the size to aim for."""
    with pytest.raises(UploadRejected, match=r"超过 2500 万像素.*长边不超过 2000 像素"):
        check_upload(SimpleUploadedFile("线稿.png", png_header(6300, 6300)), allowed={"png"})


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(monkeypatch):
    """A 24 MP photo is decoded by libjpeg at half scale (Image.draft), never at full."""
    import io

    photo = io.BytesIO()
    Image.new("RGB", (6000, 4000), (40, 90, 160)).save(photo, format="JPEG")
    decoded = []
    load = Image.Image.load

    def recording_load(image):
        decoded.append(image.size)
        return load(image)

    monkeypatch.setattr(Image.Image, "load", recording_load)
    checked = check_upload(SimpleUploadedFile("照片.jpg", photo.getvalue()), allowed={"jpg"})
    assert Image.open(io.BytesIO(checked.data)).size == (2000, 1333)
    assert max(w * h for w, h in decoded) <= 3000 * 2000
