from .audit import Action, audit_record
from .roles import Role, roles_of


def staff_sign_in_record(sender, request, user, **kwargs):
    """A sign-in of someone who sees others' data (a trainer, a focal point, an administrator) is accounted for;
    where from is not: the purpose does not need an IP address."""
    staff_roles = roles_of(user) - {Role.PARTICIPANT}
    if staff_roles:
        audit_record(action=Action.STAFF_SIGNED_IN, actor=user, roles=sorted(staff_roles))
