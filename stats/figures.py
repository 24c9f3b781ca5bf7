"""The figures of /stats/, each table one aggregate query, whatever the amount of data."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from courses.models import Event
from lms.collation import sort_key
from lms.models import Audience, User

CLOSED = Q(event__status=Event.Status.COMPLETED)
WOMEN, MEN = Q(user__sex=User.Sex.FEMALE), Q(user__sex=User.Sex.MALE)
PARTICIPATION_METRICS = {
    "participations": Count("pk"),
    # By the person's recorded sex; "other" takes the rest (other, not stated), so the three add up.
    "women": Count("pk", filter=WOMEN),
    "men": Count("pk", filter=MEN),
    "sex_other": Count("pk", filter=~(WOMEN | MEN)),
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
    women: int = 0
    men: int = 0
    sex_other: int = 0
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
        counts = ("participations", "women", "men", "sex_other", "persons", "closed", "attended", "scheduled",
                  "completed", "certificates")  # fmt: skip
        for name in counts:
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
    # Its participations are also counted by sex (women, men, other) in each row.
    split_by_sex: bool = False
    # What a reader must know to read it right, shown with it.
    note: str = ""
    _index: dict = field(default_factory=dict, repr=False)

    def row(self, key, label, values):
        """The row of `key`, added last if it is new and named `label(values)` then."""
        if key not in self._index:
            self._index[key] = Row(key=key, label=label(values))
            self.rows.append(self._index[key])
        return self._index[key]

    def sort(self, order=None):
        """By label, or in the `order` of the keys (choices); the not given last."""
        rank = {code: index for index, code in enumerate(order or [])}
        self.rows.sort(
            key=lambda row: (row.key[0] is None, rank.get(row.key[0], len(rank)) if order else sort_key(row.label))
        )


def names(path, prefix):
    """The name at `path` in each language, as {prefix_<code>: expression}: values() would read the
    untranslated column, and the active language's column alone may be empty."""
    return {f"{prefix}_{code}": F(f"{path}_{code}") for code, _name in settings.LANGUAGES}


def _name_label(values, prefix):
    """A name read by names() in the reader's language, else any language it has."""
    order = [get_language()[:2]] + [code for code, _name in settings.LANGUAGES]
    return next((values[f"{prefix}_{code}"] for code in order if values.get(f"{prefix}_{code}")), "")


def _time_key(by):
    return TruncQuarter if by == "quarter" else TruncMonth


def _time_label(moment, by):
    if moment is None:
        return ""
    if by == "quarter":
        # The year first, so that labels sort in time.
        return _("%(year)d Q%(quarter)d") % {"year": moment.year, "quarter": (moment.month - 1) // 3 + 1}
    return date_format(moment, "YEAR_MONTH_FORMAT")


def _every_period(table, by, label):
    """Adds the periods between the first and the last that have no figures, with zeros, and puts
    the rows in time order: an axis that skips empty months hides the pauses."""
    if not table.rows:
        return
    step = 3 if by == "quarter" else 1
    first, last = min(row.key[0] for row in table.rows), max(row.key[0] for row in table.rows)
    months = (last.year - first.year) * 12 + last.month - first.month
    for offset in range(0, months + 1, step):
        year, month = divmod(first.month - 1 + offset, 12)
        period = date(first.year + year, month + 1, 1)
        table.row((period,), label, {"period": period})
    table.rows.sort(key=lambda row: row.key[0])


def grouped(queryset, key, metrics):
    """One row of `metrics` per value of `key` ({name: expression}), in one query."""
    # annotate() then values(): modeltranslation's values(**expressions) on Event would select every column.
    return queryset.annotate(**key).values(*key).annotate(**metrics).order_by()


def participation_keys(by="month"):
    """What each table groups participations by: {table: {name: expression}}, the first the row's key
    and the others its names, which depend on it."""
    return {
        "sex": {"sex_code": F("user__sex")},
        "profession": {"profession_code": F("profession")},
        "institution": {"institution_pk": F("institution"), **names("institution__name", "institution_name")},
        "region": {"region_pk": F("event__region"), **names("event__region__name", "region_name")},
        "theme": {"theme_id": F("event__course__themes")},
        "time": {"period": _time_key(by)("event__start_date")},
    }


def _participations(table, enrollments, key, label, frozen=None):
    """Participations grouped by `key` ({name: expression}) into the rows of `table`, counted here or, given,
    `frozen`'s (stats/rollup.py: the same values)."""
    counted = grouped(enrollments, key, PARTICIPATION_METRICS) if frozen is None else frozen
    for values in counted:
        table.row(tuple(values[name] for name in key), label, values).add_participation(values)


def _events(events, key, tables):
    """Events grouped by `key` ({name: expression}) into each of `tables`, [(table, the names of
    its part of the key, label)], in one query."""
    for values in grouped(events, key, EVENT_METRICS):
        for table, part, label in tables:
            table.row(tuple(values[name] for name in part), label, values).add_events(values)
    for table, _part, _label in tables:
        table.with_events = True


def sex_table(enrollments, frozen=None):
    """By sex: the person's own, one per person, so the persons of the rows add up."""
    sexes, not_given = dict(User.Sex.choices), str(_("not given"))

    def label(values):
        return str(sexes.get(values["sex_code"], not_given))

    table = Table("sex", _("By sex"))
    _participations(table, enrollments, participation_keys()["sex"], label, frozen and frozen["sex"])
    table.sort(list(sexes))
    return table


def person_tables(enrollments, frozen=None):
    """By sex, by profession and by institution, one query each. Profession and institution are those
    recorded on each enrollment when it was asked for: a person who moved counts in each of theirs,
    so no table can be added up from another's finer groups."""
    professions, not_given = dict(Audience.choices), str(_("not given"))

    def profession_label(values):
        return str(professions.get(values["profession_code"], not_given))

    def institution_label(values):
        return _name_label(values, "institution_name") or not_given

    profession = Table("profession", _("By profession"), split_by_sex=True)
    institution = Table("institution", _("By institution"), split_by_sex=True)
    keys = participation_keys()
    _participations(profession, enrollments, keys["profession"], profession_label, frozen and frozen["profession"])
    _participations(institution, enrollments, keys["institution"], institution_label,
                    frozen and frozen["institution"])  # fmt: skip
    profession.sort(list(professions))
    institution.sort()
    return [sex_table(enrollments, frozen), profession, institution]


def summary(tables, events):
    """The totals, added up from tables that count each participation and each event once
    (by sex, over time), so they cost no query of their own; trainers and facilitators are
    counted distinct, in one query."""
    by_name = {table.name: table for table in tables}
    totals = Row(key=None, label=str(_("All")))
    for row in by_name["sex"].rows:
        totals.add_participation(row.__dict__)
    for row in by_name["time"].rows:
        totals.add_events(row.__dict__)
    people = events.aggregate(
        trainers=Count("trainers", distinct=True), facilitators=Count("agenda_items__facilitators", distinct=True)
    )
    return {"totals": totals, **people}


def summary_table(figures_summary):
    return Table("summary", _("Summary"), rows=[figures_summary["totals"]], with_events=True)


def breakdowns(enrollments, events, by="month", frozen=None):
    """The tables by sex, profession, institution, region, theme and over time; given `frozen`
    (stats/rollup.py, for the unfiltered figures), the participations are those it gives."""
    not_given = str(_("not given"))
    trunc = _time_key(by)
    region = Table("region", _("By region"), split_by_sex=True)
    theme = Table("theme", _("By theme"), note=_(
        "A participation counts once in each theme of its course, and so does an event: "
        "the rows of this table add up to more than the totals."
    ))  # fmt: skip
    time = Table("time", _("By quarter") if by == "quarter" else _("By month"))

    def region_label(values):
        return _name_label(values, "region_name") or not_given

    def theme_label(values):
        return _name_label(values, "name") or not_given

    def period_label(values):
        return _time_label(values["period"], by)

    # Each event has one region and one start: one query counts the events of both tables.
    region_key = {"region_pk": F("region"), **names("region__name", "region_name")}
    _events(events, {**region_key, "period": trunc("start_date")},
            [(region, list(region_key), region_label), (time, ["period"], period_label)])  # fmt: skip
    # Every event with participations is among those counted, so this query names their themes.
    theme_names = names("course__themes__name", "name")
    _events(events, {"theme_id": F("course__themes"), **theme_names}, [(theme, ["theme_id"], theme_label)])
    keys = participation_keys(by)
    for table, label in [(region, region_label), (theme, theme_label), (time, period_label)]:
        _participations(table, enrollments, keys[table.name], label, frozen and frozen[table.name])
    region.sort()
    theme.sort()
    _every_period(time, by, period_label)
    return [*person_tables(enrollments, frozen), region, theme, time]
