import datetime

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lms.http import posted_text, refusal_message, without_nul
from lms.roles import can

from .. import selectors, services
from ..access import event_for
from ..models import Attendance
from ..sign_in_pdf import sign_in_sheet


def _posted_marks(post):
    """{(enrollment id, day): (status, note)} from the grid's fields a-<id>-<yyyy-mm-dd> and n-<id>-<day>."""
    marks = {}
    all_present = post.get("all_present", "")
    for name, value in post.items():
        if not name.startswith("a-"):
            continue
        try:
            _prefix, enrollment_id, day = name.split("-", 2)
            key = (int(enrollment_id), datetime.date.fromisoformat(day))
        except ValueError:
            raise ValidationError(_("The grid was not understood; nothing was saved.")) from None
        status = Attendance.Status.PRESENT if day == all_present else value
        marks[key] = (status, without_nul(post.get(f"n-{enrollment_id}-{day}", "")).strip()[:500])
    return marks


@login_required
def attendance_grid(request, pk):
    event = event_for(request, pk, "event.participants")
    editable = can(request.user, "attendance.change", event)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        try:
            marks = _posted_marks(request.POST)
            changed = services.attendance_grid_save(event=event, marks=marks, actor=request.user)
        except ValidationError as error:
            refusal_message(request, error)
        else:
            messages.success(request, _("Attendance saved (%(count)d changes).") % {"count": changed})
        return redirect("courses:attendance", pk=event.pk)
    context = {
        "event": event,
        "rows": selectors.attendance_rows(event),
        "editable": editable,
        "statuses": Attendance.Status.choices,
        "can_close": can(request.user, "event.close", event),
        "today": timezone.localdate(timezone=event.tz),
    }
    return render(request, "courses/attendance_grid.html", context)


@login_required
def event_close(request, pk):
    """A confirmation page: what closing will record and send; closes on POST."""
    event = event_for(request, pk, "event.close")
    if request.method == "POST":
        try:
            services.event_close(event=event, actor=request.user, reason=posted_text(request, "reason", 2000))
        except ValidationError as error:
            refusal_message(request, error)
            return redirect("courses:event_close", pk=event.pk)
        messages.success(request, _("The event is closed; completion is recorded."))
        return redirect("courses:attendance", pk=event.pk)
    context = {"event": event, "summary": selectors.event_closing_summary(event)}
    return render(request, "courses/event_close.html", context)


@login_required
def check_in_code(request, pk):
    """The trainer's screen: today's code in large letters, and its QR code."""
    event = event_for(request, pk, "attendance.change")
    try:
        code = services.check_in_code_for_today(event=event, actor=request.user, renew=request.method == "POST")
    except ValidationError as error:
        refusal_message(request, error)
        return redirect("courses:attendance", pk=event.pk)
    url = request.build_absolute_uri(reverse("courses:check_in") + f"?code={code.code}")
    qr = mark_safe(segno.make(url, error="m").svg_inline(scale=6, title=_("Check-in QR code")))  # noqa: S308 - our own SVG
    return render(request, "courses/check_in_code.html", {"event": event, "code": code, "qr": qr, "url": url})


@login_required
def check_in(request):
    """Participants type the code shown in the room, or open the QR's link; marked present on POST."""
    code = without_nul(request.POST.get("code") or request.GET.get("code", ""))
    if request.method == "POST":
        try:
            attendance, new = services.check_in(user=request.user, code=code)
        except ValidationError as error:
            refusal_message(request, error)
        else:
            event = attendance.enrollment.event
            messages.success(
                request,
                _("You are checked in for %(event)s today.") % {"event": event.display_title}
                if new
                else _("You were already checked in for today."),
            )
            return redirect(event.get_absolute_url())
    return render(request, "courses/check_in.html", {"code": code[:16]})


@login_required
def sign_in_sheet_pdf(request, pk, day):
    event = event_for(request, pk, "event.participants")
    try:
        day = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if day not in event.days:
        raise Http404
    enrollments = [enrollment for enrollment, _result in selectors.event_completions(event)]
    response = HttpResponse(sign_in_sheet(event, day, enrollments), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-in-{event.pk}-{day.isoformat()}.pdf"'
    return response


@login_required
def my_record(request):
    records = selectors.training_record(request.user)
    years = sorted(records, reverse=True)
    try:
        chosen = int(request.GET.get("year", ""))
    except ValueError:  # junk, and digits int() refuses although isdigit() accepts them ("²")
        chosen = None
    if chosen not in records:
        chosen = years[0] if years else timezone.localdate().year
    context = {
        "years": years,
        "year": chosen,
        "record": records.get(chosen),
        "target": selectors.annual_target(request.user),
    }
    return render(request, "courses/my_record.html", context)
