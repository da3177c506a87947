"""One writer per status: an issue's, a submission's and a delivery's status change only in
their state machine's module (``core.statemachine``). Every module of the project is parsed
(migrations aside) and any write of a ``status`` outside those three modules fails the test,
unless it is listed below as another model's status."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("accounts", "alliances", "submissions", "bulletins", "distribution", "reports")
PACKAGES += ("core", "citisa")
WRITERS = {"bulletins/workflow.py", "submissions/workflow.py", "distribution/delivery.py"}
# Writes of the status of other models, by (module, what is written): each checked by hand.
OTHER_MODELS = {
    ("bulletins/renditions.py", "rendition"): "Rendition.status (a PDF's rendering)",
    ("bulletins/renditions.py", "Rendition"): "Rendition.status (the sweeper re-queues)",
}
MACHINE_MODELS = {"Issue", "Submission", "Delivery", "issue", "submission", "delivery"}
CREATES = {"create", "get_or_create", "update_or_create"}


def _root_name(node: ast.AST) -> str:
    """``Rendition`` for ``Rendition.objects.filter(...).update``, ``issue`` for ``issue``."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return ast.unparse(node)


def _names_status(node: ast.AST | None) -> bool:
    """A list or tuple of field names that holds "status"."""
    return isinstance(node, (ast.List, ast.Tuple, ast.Set)) and any(
        isinstance(e, ast.Constant) and e.value == "status" for e in node.elts
    )


def status_writes(source: str) -> list[tuple[int, str, str]]:
    """(line, what is written, how) for each write of a ``status`` in ``source``:
    ``x.status = …`` (also ``+=``, annotated), ``setattr(x, "status", …)``,
    ``….update(status=…)``, ``….bulk_update(objs, ["status", …])``, and ``Issue(status=…)``
    or ``Issue.objects.create(status=…)`` (likewise Submission, Delivery)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Attribute) and part.attr == "status":
                    found.append((node.lineno, _root_name(part.value), "assignment"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        keywords = {k.arg: k.value for k in node.keywords}
        made = func.id if isinstance(func, ast.Name) else ""
        if isinstance(func, ast.Attribute) and func.attr in CREATES:
            made = _root_name(func.value)
        if made in MACHINE_MODELS and "status" in keywords:
            found.append((node.lineno, made, "created with"))  # born in another status
        if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and name.value == "status":
                found.append((node.lineno, _root_name(node.args[0]), "setattr"))
        if not isinstance(func, ast.Attribute):
            continue
        if func.attr == "update" and "status" in keywords:
            found.append((node.lineno, _root_name(func.value), "update"))
        if func.attr == "bulk_update":
            fields = node.args[1] if len(node.args) > 1 else keywords.get("fields")
            if _names_status(fields):
                found.append((node.lineno, _root_name(func.value), "bulk_update"))
    return sorted(found)


def app_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path


def test_only_the_three_writers_write_a_status():
    strays, seen_others = [], set()
    for name, path in app_modules():
        if name in WRITERS:
            continue
        for line, receiver, how in status_writes(path.read_text(encoding="utf-8")):
            if (name, receiver) in OTHER_MODELS:
                seen_others.add((name, receiver))
            else:
                strays.append(f"{name}:{line}: {how} of {receiver}.status")
    assert not strays, (
        "A status is written outside its state machine (bulletins/workflow.py, "
        "submissions/workflow.py, distribution/delivery.py); make it a move of the table:\n"
        + "\n".join(strays)
    )
    # The list of other models' writes holds nothing stale, and none of it is one of ours.
    assert seen_others == set(OTHER_MODELS)
    assert not {receiver for _name, receiver in OTHER_MODELS} & MACHINE_MODELS


def test_each_writer_writes_its_status_in_one_place():
    """The scanner sees the real writes (so a miss above is not a blind scanner)."""
    for name in WRITERS:
        writes = status_writes((ROOT / name).read_text(encoding="utf-8"))
        assert [how for _line, _receiver, how in writes] == ["assignment"], (name, writes)


def test_the_scanner_catches_every_way_of_writing_a_status():
    source = """
issue.status = "signed"
self.submission.status = S.ACCEPTED
setattr(delivery, "status", "sent")
Issue.objects.filter(pk=1).update(status="draft", edition=2)
Submission.objects.bulk_update(rows, ["status", "decided_at"])
Delivery.objects.bulk_update(rows, fields=("status",))
issue.status == "draft"
Issue.objects.filter(status="draft").update(edition=2)
Delivery.objects.bulk_update(rows, ["attempts"])
Issue(volume_year=2026, status="signed")
Submission.objects.create(title="x", status="accepted")
Delivery.objects.create(email="a@example.org")
"""
    assert [(line, receiver, how) for line, receiver, how in status_writes(source)] == [
        (2, "issue", "assignment"),
        (3, "self", "assignment"),
        (4, "delivery", "setattr"),
        (5, "Issue", "update"),
        (6, "Submission", "bulk_update"),
        (7, "Delivery", "bulk_update"),
        (11, "Issue", "created with"),
        (12, "Submission", "created with"),
    ]
