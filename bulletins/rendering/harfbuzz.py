"""HarfBuzz's subsetter, checked before every layout, and the error the renderer raises when
the machine lacks something it needs. Below ``pdf`` and ``environment``, which both use them
(``environment``'s start-up check renders through ``pdf``)."""

from __future__ import annotations

from weasyprint.text import ffi


class RenderEnvironmentError(RuntimeError):
    """The machine lacks something the renderer needs (a library or a font package)."""


def check_harfbuzz_subset() -> None:
    # Read at each call (not imported by name), so that a test can take the library away.
    if ffi.harfbuzz_subset is None:
        raise RenderEnvironmentError(
            "缺少 HarfBuzz 字体子集库：请安装 Debian 软件包 libharfbuzz-subset0"
            "（没有它，中文字体子集化要慢 20–30 倍）。"
        )
