"""Every write of distribution except a delivery's status (``distribution.delivery``),
split by noun: the lists, the dispatches, the archive."""

from .archive import archive_publish, archive_reindex
from .dispatch import (
    deliveries_sweep,
    delivery_link_reissue,
    delivery_link_revoke,
    delivery_record_download,
    delivery_resend,
    dispatch_enqueue,
    dispatch_resend_failed,
    publication_distribute,
)
from .lists import (
    contact_add,
    contact_set_active,
    contacts_import,
    distribution_list_ensure,
    organisation_add,
)

__all__ = [
    "archive_publish",
    "archive_reindex",
    "contact_add",
    "contact_set_active",
    "contacts_import",
    "deliveries_sweep",
    "delivery_link_reissue",
    "delivery_link_revoke",
    "delivery_record_download",
    "delivery_resend",
    "dispatch_enqueue",
    "dispatch_resend_failed",
    "distribution_list_ensure",
    "organisation_add",
    "publication_distribute",
]
