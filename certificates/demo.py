"""Demo certificates: the closed 2018 Chișinău training's, ready to download."""

from courses.models import Event

from .services import certificates_issue_for_event


def seed():
    for event in Event.objects.filter(status=Event.Status.COMPLETED):
        certificates_issue_for_event(event=event)
