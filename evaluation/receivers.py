from .services import survey_open


def open_on_close(sender, event, **kwargs):
    """Closing an event opens its reaction questionnaire, if its last day's end has not already."""
    survey_open(event=event)
