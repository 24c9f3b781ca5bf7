"""Reading the audit log back in tests: the one entry an action wrote, and the proof that no free text got in."""

import json

from lms.models import AuditEntry


def entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def rows(action):
    """(actor, subject, target, details) of each entry of `action`, in the order written."""
    return [(entry.actor, entry.subject, entry.target, entry.details) for entry in entries(action)]


def entry_facts(entry):
    return {"actor": entry.actor, "subject": entry.subject, "target": entry.target, "details": entry.details}


def only_entry(action):
    """The facts of the one entry of `action` (signing in, which every staff member's test does, aside)."""
    found = entries(action)
    assert len(found) == 1, f"{len(found)} entries of {action}"
    return entry_facts(found[0])


def assert_no_free_text(*texts):
    """None of `texts` (a note, a reason typed by someone) is in any entry's details."""
    written = json.dumps([entry.details for entry in AuditEntry.objects.all()], ensure_ascii=False)
    for text in texts:
        assert text not in written
