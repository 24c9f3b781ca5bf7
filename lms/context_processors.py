from .roles import roles_of


def navigation(request):
    """The signed-in user's roles, for the navigation and dashboard."""
    user = getattr(request, "user", None)
    return {"user_roles": roles_of(user) if user is not None else frozenset()}
