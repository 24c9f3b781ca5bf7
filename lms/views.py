from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .services import profile_update


def home(request):
    return render(request, "lms/home.html")


@login_required
def dashboard(request):
    return render(request, "lms/dashboard.html")


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, fields=form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(request, "lms/profile_form.html", {"form": form})
