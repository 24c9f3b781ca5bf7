from .services import certificates_issue_for_event


def issue_on_close(sender, event, **kwargs):
    """Closing an event issues the certificates of everyone who completed it."""
    certificates_issue_for_event(event=event)
