"""The shape the three state machines share: an issue's approval chain
(``bulletins.workflow``), a submission's review (``submissions.workflow``) and a delivery's
sending (``distribution.delivery``).

Each is a table ``{(status, action): Move}`` in the one module that writes that status,
with an ASCII diagram of the table in its docstring, and one function that makes a move
(``issue_transition``, ``submission_transition``, ``delivery_transition``): it locks the row,
looks the move up, asks ``accounts.permissions.may_move`` whether the actor may make it,
runs the action's effects, saves with ``update_fields`` and appends an event row in the same
transaction. A move that is not in the table from the current status raises
:class:`InvalidTransition`; its message is for the user, in Chinese.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError


class InvalidTransition(ValidationError):
    """A move that may not happen now (not from the current status, or refused by the
    move's own check); the message says why, in Chinese. Nothing was changed."""


@dataclass(frozen=True)
class Move:
    """One row of a table: where the move goes and who may make it.

    ``rule`` is the ``accounts.permissions`` rule a person must pass (None: no person makes
    this move); ``system`` lets the system make it (actor ``None``: a task, a sweeper).
    """

    target: str
    rule: str | None
    label: str  # what the button, the history and the messages call it
    system: bool = False


def moves_from(table: Mapping[tuple[str, str], Move], status: str) -> list[tuple[str, Move]]:
    """The (action, move) pairs of ``table`` that start from ``status``, in table order."""
    return [(action, move) for (source, action), move in table.items() if source == status]


def moves_named(table: Mapping[tuple[str, str], Move], action: str) -> list[Move]:
    """Every move of ``table`` made by ``action``, whatever status it starts from."""
    return [move for (_source, name), move in table.items() if name == action]
