"""The audit log: each service that changes what the law asks to account for records it here, once.

Sinergia keeps its own table rather than a model-change log (such as django-auditlog): every action listed is a
domain event that passes through one service, which knows what it means (a decision and its new status, an export
and its filters), where a row's field diff would not; and a diff log would copy the names and emails it records
into a second table that an erasure would then have to scrub.
"""

from .models import AuditEntry

Action = AuditEntry.Action


def audit_record(*, action, actor=None, subject=None, target="", **details):
    """Append an entry: `actor` did `action` about `subject` (a person) and `target` (in words)."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        action=action, actor=actor, subject=subject, target=str(target)[:255], details=details
    )
