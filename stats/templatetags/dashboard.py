from django import template

from lms.roles import can

from ..dashboard import readers

register = template.Library()


@register.simple_tag(takes_context=True)
def endorsements_waiting(context, user):
    """How many requests await a focal point, for the header (None for everyone else: no query)."""
    if not can(user, "endorsements.view"):
        return None
    # The dashboard has counted them already.
    blocks = context.get("focal_point") or readers.focal_point_blocks(user)
    return blocks["endorsements_waiting"]
