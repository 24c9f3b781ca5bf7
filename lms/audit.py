"""The audit log: each service that changes what the law asks to account for records it here, once.

Sinergia keeps its own table rather than a model-change log (such as django-auditlog): every action listed is a
domain event that passes through one service, which knows what it means (a decision and its new status, an export
and its filters), where a row's field diff would not; and a diff log would copy the names and emails it records
into a second table that an erasure would then have to scrub.
"""

from .models import AuditEntry

Action = AuditEntry.Action


def _entry(*, action, actor=None, subject=None, target="", **details):
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry(action=action, actor=actor, subject=subject, target=str(target)[:255], details=details)


def audit_record(*, action, actor=None, subject=None, target="", **details):
    """Append an entry: `actor` did `action` about `subject` (a person) and `target` (in words: an event, an
    export; never the person's name or email, which `subject` gives while they are not erased)."""
    entry = _entry(action=action, actor=actor, subject=subject, target=target, **details)
    entry.save(force_insert=True)
    return entry


def audit_record_many(entries):
    """Append several entries in one query (a batch, such as the certificates issued when an event closes);
    each of `entries` holds audit_record's arguments."""
    return AuditEntry.objects.bulk_create([_entry(**entry) for entry in entries])
