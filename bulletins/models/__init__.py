"""The issue models: issues and their content (``issues``), the approval chain's record
(``approvals``), the PDFs of versions (``renditions``).

Re-exported here because Django's convention (and every app that reads issues) imports
them from ``bulletins.models``.
"""

from .approvals import (
    EVENT_ACTION_LABELS,
    Approval,
    ApprovalStage,
    Comment,
    IssueEvent,
    Notification,
    NotificationKind,
)
from .issues import (
    EDITABLE_STATUSES,
    FreeBlock,
    FreeBlockKind,
    Issue,
    IssueSource,
    IssueStatus,
    IssueVersion,
    Item,
    ItemKind,
    Section,
)
from .renditions import Rendition, RenditionKind, RenditionStatus

__all__ = [
    "EDITABLE_STATUSES",
    "EVENT_ACTION_LABELS",
    "Approval",
    "ApprovalStage",
    "Comment",
    "FreeBlock",
    "FreeBlockKind",
    "Issue",
    "IssueEvent",
    "IssueSource",
    "IssueStatus",
    "IssueVersion",
    "Item",
    "ItemKind",
    "Notification",
    "NotificationKind",
    "Rendition",
    "RenditionKind",
    "RenditionStatus",
    "Section",
]
