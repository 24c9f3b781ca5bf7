from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .roles import Role, has_role
from .services import profile_update


def home(request):
    return render(request, "lms/home.html")


@login_required
def dashboard(request):
    today = timezone.localdate()
    context = {
        "upcoming_enrollments": request.user.enrollments.filter(event__end_date__gte=today)
        .select_related("event__course")
        .order_by("event__start_date")[:5],
        "trained_events": request.user.trained_events.filter(end_date__gte=today)
        .select_related("course")
        .order_by("start_date")[:10]
        if has_role(request.user, Role.TRAINER)
        else [],
    }
    return render(request, "lms/dashboard.html", context)


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, fields=form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(request, "lms/profile_form.html", {"form": form})
