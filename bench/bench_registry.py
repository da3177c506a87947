"""Alliance registry: resolving printed names, and the registry page for an editor.

Prints, for every attribution name in the seed bulletins, the time to resolve it, and the
server time and query count of the registry list page with 130 alliances (no target: the
figures are for reading). ``--smoke``: 60 alliances, ten names, two requests per figure.
"""

import re

from common import ROOT, percentiles, setup_django, smoke_requested, timed

SMOKE = smoke_requested()
ALLIANCES = 60 if SMOKE else 130
REPEAT = 2 if SMOKE else 30
setup_django("registry")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Role  # noqa: E402
from accounts.services import user_create  # noqa: E402
from alliances.selectors import alliance_resolve  # noqa: E402
from alliances.services import alliance_create  # noqa: E402

SEEDS = ROOT / "bulletins" / "importer" / "seeds"  # the repository's copies (tests/seeds.py)
ATTRIBUTION = re.compile(r"[（(]((?:[^（()）]|[（(][^（()）]*[)）]){2,60}?)\s*供稿[)）]")


def main():
    call_command("load_alliances", verbosity=0)
    for n in range(ALLIANCES - 47):
        alliance_create(
            full_name=f"基准{n:03d}产业技术创新战略联盟",
            short_name=f"基准{n:03d}联盟",
            code=f"{400 + n}",
        )
    names = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = re.sub(r"\s*\n\s*", "", path.read_text(encoding="utf-8"))
        names += [m.removesuffix("秘书处") for m in ATTRIBUTION.findall(text)]
    if SMOKE:
        names = names[:10]

    resolve = timed(lambda: [alliance_resolve(name) for name in names], repeat=REPEAT)
    per_name = [t / len(names) for t in resolve]
    p50, p95 = percentiles(per_name)
    print(
        f"resolve one printed name ({len(names)} names from the seeds): p50 {p50:.3f} ms, p95 {p95:.3f} ms"
    )

    editor = user_create(username="bench-editor", password=None, roles=[Role.EDITOR])
    client = Client()
    client.force_login(editor)
    for label, params in [
        ("first page", {}),
        ("filter batch 1", {"batch": "1"}),
        ("search 半导体", {"q": "半导体"}),
    ]:
        client.get("/alliances/", params)  # warm
        samples = timed(lambda params=params: client.get("/alliances/", params), repeat=REPEAT)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/alliances/", params)
        assert response.status_code == 200
        p50, p95 = percentiles(samples)
        print(
            f"registry page ({ALLIANCES} alliances), {label:<15} "
            f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  queries {len(queries)}"
        )


if __name__ == "__main__":
    main()
