from .services import certificates_follow_completion, certificates_issue_for_event


def issue_on_close(sender, event, **kwargs):
    """Closing an event issues the certificates of everyone who completed it."""
    certificates_issue_for_event(event=event)


def follow_completion(sender, event, actor, completed, not_completed, reason="", **kwargs):
    """A closed event's completion changed (an attendance correction): certificates issued or revoked to match."""
    certificates_follow_completion(
        event=event, actor=actor, completed=completed, not_completed=not_completed, reason=reason
    )
