"""Who gets what from every URL: the access decisions, one entry per URL name.

Read a row as: the URL (its name and the objects of the test world it points at), then
the answer each role gets, in the column order of ``ROLES``::

    anonymous, secretariat A, secretariat B, editor, reviewer, signer, recipient, admin

Answers: a status code, ``LOGIN`` (302 to our login page), ``ADMIN_LOGIN`` (302 to the
admin's login page) or ``REDIRECT`` (302 elsewhere: the action's own page). ``get`` is
what a GET answers, ``post`` what a POST with an empty body answers (every URL is tried
both ways). An empty body is refused as invalid — 200 with the form's errors, 400, or 302
back with a message — which shows the role got past the permission check; 403/404 show it
did not. ``args`` name the world's objects in the URL, ``query`` its query string.

Objects of the world (tests/security/access/world.py): ``submission_a``/``submission_b`` belong to
alliance A/B (status 需修改, with an attachment and an image), ``draft`` is an issue being
assembled, ``signed`` an issue signed, rendered, distributed and archived, ``imported`` a
past issue imported from its text.

A new URL needs a row here: the matrix test fails with "new URL without an access
decision: <name>" until it has one. The Django admin's URLs are decided by one rule
(``admin_expectation`` in test_access_matrix.py), not listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
REDIRECT = "redirect"


def every(answer):
    """The same answer for all eight roles."""
    return (answer,) * 8


@dataclass(frozen=True)
class Access:
    get: tuple
    post: tuple | None = None
    args: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    why: str = ""  # a note where the answer is not obvious


HEALTHY_OR_NOT = frozenset({200, 503})

TABLE: dict[str, Access] = {
    "home": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        post=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        why="the home page ignores a POST and shows the desk",
    ),
    "accounts:login": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
        post=(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
        why="signed-in users are sent on to their desk",
    ),
    "accounts:logout": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=every(405),
        post=(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ),
    "alliances:index": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, REDIRECT, REDIRECT, 200, 200, 200, 200, 200),
        post=(LOGIN, REDIRECT, REDIRECT, 200, 200, 200, 200, 200),
        why="a secretariat is sent to its own alliance's page",
    ),
    "alliances:detail": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 200, 404, 200, 200, 200, 404, 200),
        args={"alliance_id": "alliance_a"},
        why="alliance A's page: its own secretariat and the office; B and recipients 404",
    ),
    # --- accounts: the second login step and the account's security (two-factor login) ---
    "accounts:two_factor_verify": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
        post=(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
        why="only a session that owes its code sees the step; a finished login is sent on",
    ),
    "accounts:two_factor_enrol": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        post=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        why="anyone signed in may set up (or replace) an authenticator; empty code is refused",
    ),
    "accounts:security": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        post=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        why="one's own account only: no object in the URL",
    ),
    "accounts:recovery_codes_regenerate": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=every(405),
        post=(LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 200, REDIRECT, 200),
        why="POST only. Who has a second factor (signer, admin) sees the ten new codes once; "
        "the others are sent back with a message",
    ),
    "accounts:two_factor_disable": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=every(405),
        post=(LOGIN, 400, 400, 400, 400, 403, 400, 403),
        why="POST only. Signers and administrators may not turn it off (403); for the others "
        "an empty form (no password, no code) is refused",
    ),
    "accounts:password_change": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        post=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        why="an empty form is shown again with its errors",
    ),
    # --- alliances: statistics and 活跃度评价 (editors and administrators) ---
    "reports:statistics": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 200, 403, 403, 403, 200),
        post=(LOGIN, 403, 403, 200, 403, 403, 403, 200),
        why="a read-only report: a POST is answered like a GET",
    ),
    "reports:statistics_export": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 200, 403, 403, 403, 200),
        post=(LOGIN, 403, 403, 200, 403, 403, 403, 200),
        args={"fmt": "=csv"},
        why="a read-only download: a POST is answered like a GET",
    ),
    "alliances:ratings": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 200, 403, 403, 403, 200),
        post=(LOGIN, 403, 403, 200, 403, 403, 403, 200),
        why="an empty new-period form is shown again with its errors",
    ),
    "reports:ratings_record": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 200, 403, 403, 403, 200),
        post=(LOGIN, 403, 403, REDIRECT, 403, 403, 403, REDIRECT),
        args={"period_id": "period"},
        why="the sheet holds every alliance; an empty sheet records no levels and goes back",
    ),
    "submissions:mine": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 404, 404, 404, 404, 404),
        post=(LOGIN, 200, 200, 404, 404, 404, 404, 404),
    ),
    "submissions:new": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 404, 404, 404, 404, 404),
        post=(LOGIN, 200, 200, 404, 404, 404, 404, 404),
    ),
    "submissions:inbox": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
    ),
    "submissions:calls": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 404, 404, 404, 404),
        why="everyone but recipients sees the calls; only editors open one (POST)",
    ),
    "submissions:call": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 200, 200, 200, 404, 200),
        post=(LOGIN, 200, 200, 200, 200, 200, 404, 200),
        args={"call_id": "call"},
    ),
    "submissions:call_close": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 404, 404, 404, 404),
        args={"call_id": "call"},
        why="only editors close a call",
    ),
    "submissions:detail": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 200, 404, 200, 200, 200, 404, 200),
        args={"submission_id": "submission_a"},
    ),
    "submissions:edit": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 404, REDIRECT, REDIRECT, REDIRECT, 404, REDIRECT),
        post=(LOGIN, 200, 404, REDIRECT, REDIRECT, REDIRECT, 404, REDIRECT),
        args={"submission_id": "submission_a"},
        why="the office is sent to the submission's page; only its alliance edits",
    ),
    "submissions:revise": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 404, 404, 404, 404, 404),
        post=(LOGIN, 404, 404, 404, 404, 404, 404, 404),
        args={"submission_id": "submission_a"},
        why="the editors' revision page is for accepted submissions only: 404 in 需修改",
    ),
    "submissions:transition": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 400, 404, 400, 400, 400, 404, 400),
        args={"submission_id": "submission_a"},
        why="an empty action is a bad request (400) for whoever may see it",
    ),
    "submissions:delete": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, 404),
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, 404),
        args={"submission_id": "submission_a"},
        why="only its alliance deletes, only a draft: A's own is sent back with the reason",
    ),
    "submissions:withdraw": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, 404),
        post=(LOGIN, REDIRECT, 404, 404, 404, 404, 404, 404),
        args={"submission_id": "submission_a"},
        why="only its alliance withdraws, only while submitted: 需修改 is sent back",
    ),
    "submissions:publish": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, REDIRECT, 404, REDIRECT, 404, 404),
        post=(LOGIN, 404, 404, REDIRECT, 404, REDIRECT, 404, 404),
        args={"submission_id": "submission_a"},
        why="editors and signers record a print elsewhere, only when accepted: sent back",
    ),
    "submissions:accept": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 404, REDIRECT, 403, 403, 404, 403),
        post=(LOGIN, 403, 404, REDIRECT, 403, 403, 404, 403),
        args={"submission_id": "submission_a"},
        why="采用's confirmation is the editors'; submission A is 需修改, so back to it (302)",
    ),
    "submissions:diff": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 200, 404, 200, 200, 200, 404, 200),
        args={"submission_id": "submission_a"},
    ),
    "submissions:file": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 200, 404, 200, 200, 200, 404, 200),
        args={"submission_id": "submission_a", "file_id": "attachment_a"},
    ),
    "submissions:media": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 200, 404, 200, 200, 200, 404, 200),
        args={"submission_id": "submission_a", "path": "image_a.file.name"},
    ),
    "submissions:file_remove": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, REDIRECT, 404, REDIRECT, REDIRECT, REDIRECT, 404, REDIRECT),
        args={"submission_id": "submission_a", "file_id": "attachment_a"},
        why="all who may see it are sent back; only alliance A's secretariat removes the file "
        "(the service refuses the rest: see the test below the matrix)",
    ),
    "bulletins:index": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 200, 200, 200, 403, 200),
        post=(LOGIN, 403, 403, 200, 200, 200, 403, 200),
    ),
    "bulletins:new": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 200, 403, 403, 403, 403),
        post=(LOGIN, 403, 403, 200, 403, 403, 403, 403),
    ),
    "bulletins:import": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 200, 403, 403, 403, 200),
        post=(LOGIN, 403, 403, 200, 403, 403, 403, 200),
    ),
    "bulletins:import_preview": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 200, 403, 403, 403, 404),
        post=(LOGIN, 403, 403, 200, 403, 403, 403, 404),
        args={"token": "import_token"},
        why="the token belongs to the editor who uploaded the file: 404 for anyone else allowed to import",
    ),
    "bulletins:detail": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"issue_id": "draft"},
    ),
    "bulletins:assemble": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"issue_id": "draft"},
    ),
    "bulletins:history": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"issue_id": "signed"},
    ),
    "bulletins:diff": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"issue_id": "signed"},
        query={"from": "version"},
    ),
    "bulletins:transition": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, REDIRECT, REDIRECT, 404, REDIRECT),
        args={"issue_id": "draft"},
        why="an empty action is refused with a message (302 back)",
    ),
    "bulletins:confirm": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 403, 403, 404, 403),
        post=(LOGIN,) + (405,) * 7,
        args={"issue_id": "draft", "action": "=submit"},
        why="the 送审 confirmation is the editors'; other office staff are refused (403)",
    ),
    "bulletins:delivery": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"issue_id": "signed"},
        why="the delivery block of a signed issue, polled by the issue page: office staff",
    ),
    "bulletins:comment": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, REDIRECT, REDIRECT, 404, REDIRECT),
        args={"issue_id": "draft"},
        why="an empty comment is refused with a message (302 back)",
    ),
    "bulletins:update": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, 403),
        args={"issue_id": "draft"},
    ),
    "bulletins:delete": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, 403),
        args={"issue_id": "draft"},
    ),
    "bulletins:preview": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, REDIRECT, REDIRECT, 404, REDIRECT),
        args={"issue_id": "draft"},
        why="the reviewer/signer/admin get a message that they may not (302 back)",
    ),
    "bulletins:renditions": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"issue_id": "signed"},
    ),
    "bulletins:rendition_pdf": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"issue_id": "signed", "version_id": "version", "kind": "=final"},
    ),
    "bulletins:web": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"issue_id": "signed", "version_id": "version"},
    ),
    "bulletins:version_image": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"issue_id": "signed", "version_id": "version", "path": "printed_image.file.name"},
        why="an image the version prints: whoever may see the issue",
    ),
    "bulletins:section_add": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, 403),
        args={"issue_id": "draft"},
    ),
    "bulletins:section_change": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, 403),
        args={"issue_id": "draft", "section_id": "section", "op": "=move"},
    ),
    "bulletins:item_place": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, 403),
        args={"issue_id": "draft"},
    ),
    "bulletins:item_new": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 403, 403, 404, 403),
        post=(LOGIN, 404, 404, 200, 403, 403, 404, 403),
        args={"issue_id": "draft"},
    ),
    "bulletins:item_edit": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 403, 403, 404, 403),
        post=(LOGIN, 404, 404, 200, 403, 403, 404, 403),
        args={"issue_id": "draft", "item_id": "item"},
    ),
    "bulletins:item_change": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, 403),
        args={"issue_id": "draft", "item_id": "item", "op": "=move"},
    ),
    "bulletins:block_new": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 403, 403, 404, 403),
        post=(LOGIN, 404, 404, 200, 403, 403, 404, 403),
        args={"issue_id": "draft"},
    ),
    "bulletins:block_edit": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 403, 403, 404, 403),
        post=(LOGIN, 404, 404, 200, 403, 403, 404, 403),
        args={"issue_id": "draft", "block_id": "block"},
    ),
    "bulletins:block_change": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, 403),
        args={"issue_id": "draft", "block_id": "block", "op": "=move"},
    ),
    "distribution:index": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 200, 200, 200, 403, 200),
        post=(LOGIN, 403, 403, 200, 200, 200, 403, 200),
    ),
    "distribution:lists": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 200, 200, 200, 403, 200),
        post=(LOGIN, 403, 403, 200, 200, 200, 403, 200),
    ),
    "distribution:contact_add": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 403, 403, 403, 403, 403, 403, 400),
        why="the lists are kept by the administrator; an empty form is a 400",
    ),
    "distribution:organisation_add": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 403, 403, 403, 403, 403, 403, 400),
        why="the lists are kept by the administrator; an empty form is a 400",
    ),
    "distribution:import": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 403, 403, 403, 403, REDIRECT),
        post=(LOGIN, 403, 403, 403, 403, 403, 403, 400),
        why="the administrator's GET goes back to the lists page",
    ),
    "distribution:import_report": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 404, 404, 404, 404, 200),
        post=(LOGIN, 404, 404, 404, 404, 404, 404, 200),
        args={"import_id": "contact_import"},
    ),
    "distribution:import_rejected": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 404, 404, 404, 404, 200),
        post=(LOGIN, 404, 404, 404, 404, 404, 404, 200),
        args={"import_id": "contact_import"},
    ),
    "distribution:export": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 403, 403, 403, 403, 403, 403, 200),
        post=(LOGIN, 403, 403, 403, 403, 403, 403, 200),
        args={"fmt": "=csv"},
    ),
    "distribution:dispatch": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"dispatch_id": "dispatch"},
    ),
    "distribution:progress": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        post=(LOGIN, 404, 404, 200, 200, 200, 404, 200),
        args={"dispatch_id": "dispatch"},
    ),
    "distribution:resend_failed": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, REDIRECT),
        args={"dispatch_id": "dispatch"},
    ),
    "distribution:resend": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, REDIRECT),
        args={"dispatch_id": "dispatch", "delivery_id": "delivery"},
    ),
    "distribution:revoke": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, REDIRECT),
        args={"dispatch_id": "dispatch", "delivery_id": "delivery"},
    ),
    "distribution:reissue": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN,) + (405,) * 7,
        post=(LOGIN, 404, 404, REDIRECT, 403, 403, 404, REDIRECT),
        args={"dispatch_id": "dispatch", "delivery_id": "delivery"},
    ),
    "distribution:download": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(200, 200, 200, 200, 200, 200, 200, 200),
        post=every(405),
        args={"token": "link"},
        why="a personal download link: the token is the key, no login",
    ),
    "distribution:download_pdf": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(200, 200, 200, 200, 200, 200, 200, 200),
        post=every(405),
        args={"token": "link"},
        why="a personal download link: the token is the key, no login",
    ),
    "distribution:archive": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        post=every(405),
    ),
    "distribution:archive_issue": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        post=every(405),
        args={"issue_id": "signed"},
    ),
    "distribution:archive_pdf": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        post=every(405),
        args={"issue_id": "signed"},
    ),
    "distribution:archive_image": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=(LOGIN, 200, 200, 200, 200, 200, 200, 200),
        post=every(405),
        args={"issue_id": "signed", "path": "printed_image.file.name"},
        why="an image of a published issue: every signed-in user (the archive)",
    ),
    "health": Access(
        #    anon   sec_a  sec_b  editor reviewer signer recip  admin
        get=every(HEALTHY_OR_NOT),
        post=every(405),
        why="200 or 503 (no worker in the test): the state, not an access decision",
    ),
}
