"""Buttons of the enrollment workflow, drawn from its table (courses/transitions.py)."""

from django import template

from .. import transitions

register = template.Library()


@register.simple_tag(takes_context=True)
def enrollment_decisions(context, enrollment):
    """The actions the signed-in user may take on `enrollment` now."""
    return transitions.decisions_for(context["request"].user, enrollment)


@register.simple_tag(takes_context=True)
def enrollment_may(context, enrollment, action):
    return action in {decision.name for decision in enrollment_decisions(context, enrollment)}


@register.filter
def needs_reason(enrollment):
    """A change to an enrollment of a closed event must say why."""
    return transitions.needs_reason(enrollment)
