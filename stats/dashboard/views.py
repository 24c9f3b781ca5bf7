from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from lms.roles import Role, can, has_role, is_administrator

from . import readers

COLLEAGUES_PER_PAGE = 50


@login_required
def dashboard(request):
    user, today = request.user, timezone.localdate()
    context = {"participant": readers.participant_blocks(user, today)}
    if has_role(user, Role.TRAINER):
        context["trainer"] = readers.trainer_blocks(user, today)
    if can(user, "endorsements.view"):
        context["focal_point"] = readers.focal_point_blocks(user)
    if is_administrator(user):
        context["administrator"] = readers.administrator_blocks(today)
    return render(request, "lms/dashboard.html", context)


@login_required
def colleagues(request):
    """Who of the focal point's institution enrolled in which event, and how it went."""
    if not can(request.user, "endorsements.view"):
        raise PermissionDenied
    institution = request.user.institution
    page = Paginator(readers.colleagues(institution), COLLEAGUES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "stats/colleagues.html", {"page": page, "institution": institution})
