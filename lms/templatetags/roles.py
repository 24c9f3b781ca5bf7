from django import template

from lms import roles

register = template.Library()


@register.filter
def can(user, action):
    """{% if user|can:"catalog.manage" %}: the role rules, for templates."""
    return roles.can(user, action)
