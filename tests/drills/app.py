"""The application's side of the failure drills, run in a subprocess of its own against
the drill's servers (``python -m tests.drills.app <command> ...``, configured by the
environment like any other process of the application). Each command prints one JSON line.

    seed --contacts N    users, an alliance, an issue awaiting signature, N contacts
    sign                 the signer signs it through the real request stack (Client)
    age --seconds S      move every clock the sweepers read S seconds into the past,
                         as if that much time had passed
    sweep --seconds S    age, then run ``manage.py sweep`` as beat would
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import django


def seed(args) -> dict:
    from accounts.models import Role
    from alliances.services import alliance_create, staff_assign
    from bulletins.models import Issue
    from bulletins.workflow import current_version, issue_transition
    from tests.bulletins.test_workflow import ready_issue
    from tests.distribution.helpers import lists_with_contacts
    from tests.factories import PASSWORD, make_user

    editor = make_user(Role.EDITOR, username="drill-editor", full_name="杨丹泽")
    reviewer = make_user(Role.REVIEWER, username="drill-reviewer", full_name="尚辉良")
    make_user(Role.SIGNER, username="drill-signer", full_name="李新男")
    alliance = alliance_create(
        full_name="演练产业技术创新战略联盟", short_name="演练联盟", code="990"
    )
    secretary = make_user(Role.SECRETARIAT, username="drill-secretary", full_name="秘书甲")
    staff_assign(alliance=alliance, user=secretary)
    issue = ready_issue(editor)
    issue_transition(issue_id=issue.pk, action="submit", actor=editor)
    issue = Issue.objects.get(pk=issue.pk)
    version = current_version(issue)
    issue_transition(issue_id=issue.pk, action="approve", actor=reviewer, version_id=version.pk)
    contacts = lists_with_contacts(
        report=args.contacts // 2, send=args.contacts - args.contacts // 2
    )
    return {
        "issue_id": issue.pk,
        "version_id": version.pk,
        "contacts": len(contacts),
        "secretary": secretary.username,
        "password": PASSWORD,
    }


def sign(_args) -> dict:
    """What the signer's browser does: POST the sign form. Through Django's test client
    (force_login and a verified second factor: the drill is about the broker, not the login)."""
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from bulletins.models import Issue
    from tests.factories import confirmed_transition_data
    from tests.two_factor import force_login_verified

    issue = Issue.objects.get()
    client = Client(raise_request_exception=False)
    signer = User.objects.get(username="drill-signer")
    force_login_verified(client, signer)
    # Through the confirmation, as the signer's browser does (acknowledging any printed
    # organisation without an address).
    data = confirmed_transition_data(issue, "sign", signer, comment="", acknowledged="1")
    started = time.monotonic()
    response = client.post(reverse("bulletins:transition", args=[issue.pk]), data)
    seconds = time.monotonic() - started
    issue.refresh_from_db()
    return {
        "status_code": response.status_code,
        "seconds": round(seconds, 3),
        "issue_status": issue.status,
        "body": response.content.decode(errors="replace")[:2000]
        if response.status_code >= 400
        else "",
    }


def age(args) -> dict:
    from datetime import timedelta

    from django.db.models import F

    from bulletins.models import IssueVersion, Rendition
    from distribution.models import Delivery

    shift = timedelta(seconds=args.seconds)
    return {
        "renditions": Rendition.objects.update(updated_at=F("updated_at") - shift),
        "versions": IssueVersion.objects.update(created_at=F("created_at") - shift),
        "deliveries": Delivery.objects.update(
            status_changed_at=F("status_changed_at") - shift,
            next_attempt_at=F("next_attempt_at") - shift,
        ),
    }


def sweep(args) -> dict:
    """``age``, then ``manage.py sweep`` (what beat runs) in the same process."""
    import io

    from django.core.management import call_command

    aged = age(args)
    out = io.StringIO()
    call_command("sweep", stdout=out)
    return {**aged, "out": out.getvalue()}


COMMANDS = {"seed": seed, "sign": sign, "age": age, "sweep": sweep}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--contacts", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=3600)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citisa.settings")
    django.setup()
    print(json.dumps(COMMANDS[args.command](args), ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
