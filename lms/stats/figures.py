"""The figures of /stats/, each table one aggregate query, whatever the amount of data."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from courses.models import AgendaItem, Event
from lms.models import Audience, User

CLOSED = Q(event__status=Event.Status.COMPLETED)
PARTICIPATION_METRICS = {
    "participations": Count("pk"),
    "persons": Count("user", distinct=True),
    "closed": Count("pk", filter=CLOSED),
    "attended": Sum("attended_days", filter=CLOSED),
    "scheduled": Sum("scheduled_days", filter=CLOSED),
    "completed": Count("pk", filter=CLOSED & Q(completed=True)),
    "hours": Sum("credit_hours", filter=CLOSED),
    "certificates": Count("certificate", filter=Q(certificate__revoked_at__isnull=True)),
}
EVENT_METRICS = {
    "planned": Count("pk", filter=Q(status=Event.Status.PUBLISHED), distinct=True),
    "held": Count("pk", filter=Q(status=Event.Status.COMPLETED), distinct=True),
    "cancelled": Count("pk", filter=Q(status=Event.Status.CANCELLED), distinct=True),
}


def _rate(part, whole):
    return (Decimal(part or 0) * 100 / whole).quantize(Decimal("0.1")) if whole else None


@dataclass
class Row:
    key: object
    label: str
    participations: int = 0
    persons: int = 0
    closed: int = 0
    attended: int = 0
    scheduled: int = 0
    completed: int = 0
    certificates: int = 0
    hours: Decimal = Decimal(0)
    planned: int = 0
    held: int = 0
    cancelled: int = 0

    @property
    def attendance_rate(self):
        """Attended days over scheduled days, in the closed events."""
        return _rate(self.attended, self.scheduled)

    @property
    def completion_rate(self):
        return _rate(self.completed, self.closed)

    def add_participation(self, values):
        for name in ("participations", "persons", "closed", "attended", "scheduled", "completed", "certificates"):
            setattr(self, name, getattr(self, name) + (values[name] or 0))
        self.hours += values["hours"] or Decimal(0)

    def add_events(self, values):
        self.planned += values["planned"]
        self.held += values["held"]
        self.cancelled += values["cancelled"]


@dataclass
class Table:
    name: str
    title: str
    rows: list = field(default_factory=list)
    with_events: bool = False


def _theme_label(values, prefix):
    """A theme's name in the reader's language, else any language it has."""
    order = [get_language()[:2]] + [code for code, _name in settings.LANGUAGES]
    return next((values[f"{prefix}name_{code}"] for code in order if values.get(f"{prefix}name_{code}")), "")


def _time_key(by):
    return TruncQuarter if by == "quarter" else TruncMonth


def _time_label(moment, by):
    if moment is None:
        return ""
    return f"{moment.year} Q{(moment.month - 1) // 3 + 1}" if by == "quarter" else f"{moment:%Y-%m}"


def _participation_table(enrollments, name, title, key, label):
    table = Table(name, title)
    for values in enrollments.values(*key).annotate(**PARTICIPATION_METRICS).order_by(*key):
        row = Row(key=tuple(values[k] for k in key), label=label(values))
        row.add_participation(values)
        table.rows.append(row)
    return table


def _with_events(table, events, key, label):
    """Add the planned/held/cancelled counts of the same grouping (`key` named on Event), in one more query."""
    table.with_events = True
    rows = {row.key: row for row in table.rows}
    for values in events.values(*key).annotate(**EVENT_METRICS).order_by(*key):
        row_key = tuple(values[k] for k in key)
        if row_key not in rows:
            rows[row_key] = Row(key=row_key, label=label(values))
            table.rows.append(rows[row_key])
        rows[row_key].add_events(values)
    return table


def summary(tables, events):
    """The totals, added up from tables that count each participation and each event once
    (by sex, over time), so they cost no query of their own; trainers and facilitators are
    counted distinct, one query each."""
    by_name = {table.name: table for table in tables}
    totals = Row(key=None, label=str(_("All")))
    for row in by_name["sex"].rows:
        totals.add_participation(row.__dict__)
    for row in by_name["time"].rows:
        totals.add_events(row.__dict__)
    trainers = events.aggregate(trainers=Count("trainers", distinct=True))["trainers"]
    facilitators = (
        AgendaItem.facilitators.through.objects.filter(agendaitem__event__in=events)
        .values("facilitator")
        .distinct()
        .count()
    )
    return {"totals": totals, "trainers": trainers, "facilitators": facilitators}


def summary_table(figures_summary):
    return Table("summary", _("Summary"), rows=[figures_summary["totals"]], with_events=True)


def breakdowns(enrollments, events, by="month"):
    """The tables by sex, profession, institution, region, theme and over time."""
    sexes, professions = dict(User.Sex.choices), dict(Audience.choices)
    not_given = str(_("not given"))
    codes = [code for code, _name in settings.LANGUAGES]
    trunc = _time_key(by)
    period = lambda values: _time_label(values["period"], by)  # noqa: E731
    return [
        _participation_table(enrollments, "sex", _("By sex"), ["user__sex"],
                             lambda v: str(sexes.get(v["user__sex"], not_given))),
        _participation_table(enrollments, "profession", _("By profession"), ["user__profession"],
                             lambda v: str(professions.get(v["user__profession"], not_given))),
        _participation_table(enrollments, "institution", _("By institution"), ["user__institution__name"],
                             lambda v: v["user__institution__name"] or not_given),
        _with_events(
            _participation_table(enrollments, "region", _("By region"), ["event__region__name"],
                                 lambda v: v["event__region__name"] or not_given),
            events, ["region__name"], lambda v: v["region__name"] or not_given,
        ),
        _with_events(
            _participation_table(enrollments, "theme", _("By theme"),
                                 [f"event__course__themes__name_{code}" for code in codes],
                                 lambda v: _theme_label(v, "event__course__themes__") or not_given),
            events, [f"course__themes__name_{code}" for code in codes],
            lambda v: _theme_label(v, "course__themes__") or not_given,
        ),
        _with_events(
            _participation_table(enrollments.annotate(period=trunc("event__start_date")), "time",
                                 _("By quarter") if by == "quarter" else _("By month"), ["period"], period),
            events.annotate(period=trunc("start_date")), ["period"], period,
        ),
    ]  # fmt: skip
