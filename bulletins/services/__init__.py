"""Every write to an issue's content: creating it with its numbers (``issues``), its
sections, items and free blocks (``layout``), comments (``comments``), the frozen versions
and their preview renders (``versions``); ``editing`` holds what they share.

The status is not written here but in ``bulletins.workflow.issue_transition``. Every content
write locks the issue row and refuses unless the issue is in an editable status (组版中 or
退回修改); after the change it recomputes the content hash and voids the approvals that no
longer match (``editing.content_changed``). Errors are ``ValidationError`` with a Chinese
message; nothing is written when one is raised.

The names below are re-exported because the workflow, the demo and many tests call them
as ``services.<name>``; new code imports from the module that defines them.
"""

from .comments import comment_add
from .issues import (
    NextNumbers,
    issue_create,
    issue_delete,
    issue_next_numbers,
    issue_submit_problems,
    issue_update,
    numbering_problem,
    submissions_mark_published,
)
from .layout import (
    MAX_ITEMS_PER_ISSUE,
    block_add,
    block_move,
    block_remove,
    block_update,
    item_create,
    item_move,
    item_move_to,
    item_place_submission,
    item_remove,
    item_update,
    section_add,
    section_move,
    section_remove,
    section_rename,
)
from .versions import (
    issue_preview_request,
    version_preview_queue,
    version_snapshot,
)

__all__ = [
    "MAX_ITEMS_PER_ISSUE",
    "NextNumbers",
    "block_add",
    "block_move",
    "block_remove",
    "block_update",
    "comment_add",
    "issue_create",
    "issue_delete",
    "issue_next_numbers",
    "issue_preview_request",
    "issue_submit_problems",
    "issue_update",
    "item_create",
    "item_move",
    "item_move_to",
    "item_place_submission",
    "item_remove",
    "item_update",
    "numbering_problem",
    "section_add",
    "section_move",
    "section_remove",
    "section_rename",
    "submissions_mark_published",
    "version_preview_queue",
    "version_snapshot",
]
