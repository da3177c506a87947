"""Memory of an upload's picture processing.

Each picture goes through the secretariat's form as the web process runs it
(``SubmissionForm.is_valid()`` → ``core.uploads.check_upload`` → re-encoding), first alone,
then six at once in threads of this one process. Prints, for each, the peak resident
memory above the process's baseline (VmHWM, reset before each phase through
/proc/self/clear_refs; a 5 ms sampler of VmRSS where that is not allowed) and the resident
memory left afterwards. Targets: peak ≤ 200 MB for one upload and for six at once, and
back within 20 MB of the baseline after. Exits 1 when a target is missed.

The pictures: the attack's 12 KB 1-bit PNG of 6,300 × 6,300 px (refused by its header
now), and the largest accepted ones — a 24 MP photo (JPEG 6,000 × 4,000), a 25 MP RGBA PNG
and a 25 MP palette PNG with transparency. ``--smoke``: two pictures, two threads.
"""

import gc
import io
import threading
import time

from common import setup_django, smoke_requested

SMOKE = smoke_requested()
PARALLEL = 2 if SMOKE else 6
PEAK_TARGET_MB = 200
RETURN_TARGET_MB = 20
setup_django("upload_memory")

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.utils.datastructures import MultiValueDict  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from submissions.forms import SubmissionForm  # noqa: E402

MB = 1024 * 1024


def _status(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


class Peak:
    """The peak resident memory of a phase: VmHWM after resetting it, or sampled."""

    def __enter__(self):
        gc.collect()
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")  # resets VmHWM to the current RSS (Linux ≥ 4.0)
            self.sampler = None
        except OSError:
            self.sampled, self.running = _status("VmRSS"), True
            self.sampler = threading.Thread(target=self._sample, daemon=True)
            self.sampler.start()
        return self

    def _sample(self):
        while self.running:
            self.sampled = max(self.sampled, _status("VmRSS"))
            time.sleep(0.005)

    def __exit__(self, *_):
        if self.sampler is None:
            self.value = _status("VmHWM")
        else:
            self.running = False
            self.sampler.join()
            self.value = self.sampled


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def pictures() -> dict[str, tuple[str, bytes]]:
    """name → (file name, bytes): flat colour with a few shapes, so that the files are
    small (as the attack's was) while their pixel counts are not."""
    side = 2500 if SMOKE else 5000
    bitmap = Image.new("1", (2000, 2000) if SMOKE else (6300, 6300), 1)
    ImageDraw.Draw(bitmap).ellipse((10, 10, 900, 900), fill=0)
    photo = Image.new("RGB", (3000, 2000) if SMOKE else (6000, 4000), (40, 90, 160))
    ImageDraw.Draw(photo).rectangle((100, 100, 1500, 900), fill=(200, 180, 20))
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=85)
    found = {
        f"1-bit PNG {bitmap.width}×{bitmap.height}": ("线稿.png", _png(bitmap)),
        f"JPEG {photo.width}×{photo.height}": ("照片.jpg", out.getvalue()),
    }
    if not SMOKE:
        rgba = Image.new("RGBA", (side, side), (30, 120, 60, 128))
        ImageDraw.Draw(rgba).ellipse((100, 100, 2000, 2000), fill=(250, 10, 10, 255))
        found[f"RGBA PNG {side}×{side}"] = ("透明.png", _png(rgba))
        palette = rgba.convert("RGB").convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
        palette.info["transparency"] = 0
        found[f"palette PNG {side}×{side}, transparent"] = ("图表.png", _png(palette))
    return found


def upload(file_name: str, data: bytes) -> str:
    """One POST's picture check, as the form runs it; what became of the picture."""
    files = MultiValueDict({"images": [SimpleUploadedFile(file_name, data)]})
    form = SubmissionForm({"suggested_section": "联盟动态"}, files)
    form.is_valid()
    if form.file_errors:
        return "refused: " + form.file_errors[0][:40]
    (checked,) = form.checked_images
    return f"stored {checked.extension}, {checked.size // 1024} KB"


def main() -> int:
    samples = pictures()
    upload("热身.png", _png(Image.new("RGB", (64, 64))))  # imports, codecs, first arenas
    gc.collect()
    baseline = _status("VmRSS")
    print(f"baseline resident memory: {baseline / MB:.0f} MB; parallel uploads: {PARALLEL}")
    missed = []
    for label, (file_name, data) in samples.items():
        with Peak() as one:
            outcome = upload(file_name, data)
        after_one = _status("VmRSS")
        threads = [threading.Thread(target=upload, args=(file_name, data)) for _ in range(PARALLEL)]
        with Peak() as many:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        gc.collect()
        after = _status("VmRSS")
        one_mb, many_mb = (one.value - baseline) / MB, (many.value - baseline) / MB
        left_mb = (after - baseline) / MB
        print(
            f"{label:34} {len(data) // 1024:6} KB  {outcome:26} peak +{one_mb:5.0f} MB one, "
            f"+{many_mb:5.0f} MB {PARALLEL} at once; after: +{(after_one - baseline) / MB:.0f} "
            f"MB, +{left_mb:.0f} MB"
        )
        if max(one_mb, many_mb) > PEAK_TARGET_MB or left_mb > RETURN_TARGET_MB:
            missed.append(label)
    target = f"peak ≤ {PEAK_TARGET_MB} MB, back within {RETURN_TARGET_MB} MB of the baseline"
    if missed:
        print(f"MISSED ({target}): {', '.join(missed)}")
        return 0 if SMOKE else 1
    print(f"all within target ({target})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
