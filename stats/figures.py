"""The tables of /stats/, from figures counted in the database (stats/counting.py), whatever the amount of data."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.collation import sort_key
from lms.models import Audience, User

from . import counting

RATES = {"attendance_rate", "completion_rate"}  # Row attributes that are percentages (None without a whole)


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
        for name in counting.PARTICIPATION_COUNTS:
            setattr(self, name, getattr(self, name) + (values[name] or 0))

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

    def columns(self):
        """(name, Row attribute) of its columns after the rows' labels, as /stats/ shows them."""
        columns = [(_("Participations"), "participations")]
        if self.split_by_sex:
            columns += [(_("Women"), "women"), (_("Men"), "men"), (_("Other or not stated"), "sex_other")]
        columns += [(_("Persons"), "persons"), (_("Attendance (%)"), "attendance_rate"),
                    (_("Completion (%)"), "completion_rate"), (_("Certificates"), "certificates"),
                    (_("Credit hours"), "hours")]  # fmt: skip
        if self.with_events:
            columns += [(_("Events planned"), "planned"), (_("Events held"), "held"),
                        (_("Events cancelled"), "cancelled")]  # fmt: skip
        return columns

    def header(self):
        """The names of its columns, the rows' labels first."""
        return [self.title, *(name for name, _attribute in self.columns())]

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


def _name_label(values, prefix):
    """A name given in each language (as <prefix>_<code> in `values`) in the reader's, else any it has."""
    order = [get_language()[:2]] + [code for code, _name in settings.LANGUAGES]
    return next((values[f"{prefix}_{code}"] for code in order if values.get(f"{prefix}_{code}")), "")


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


def _participations(table, counted, label):
    """Participations counted by stats/counting.py (or, the same values, by stats/rollup.py) into `table`."""
    for values in counted[table.name]:
        table.row(tuple(values[name] for name in counting.KEYS[table.name]), label, values).add_participation(values)


def _events(table, counted, label):
    """Events counted by stats/counting.py into `table`."""
    for values in counted[table.name]:
        table.row(tuple(values[name] for name in counting.KEYS[table.name]), label, values).add_events(values)
    table.with_events = True


def sex_table(counted):
    """By sex: the person's own, one per person, so the persons of the rows add up."""
    sexes, not_given = dict(User.Sex.choices), str(_("not given"))

    def label(values):
        return str(sexes.get(values["sex_code"], not_given))

    table = Table("sex", _("By sex"))
    _participations(table, counted, label)
    table.sort(list(sexes))
    return table


def person_tables(counted):
    """By sex, by profession and by institution. Profession and institution are those recorded on each
    enrollment when it was asked for: a person who moved counts in each of theirs, so no table can be
    added up from another's finer groups."""
    professions, not_given = dict(Audience.choices), str(_("not given"))

    def profession_label(values):
        return str(professions.get(values["profession_code"], not_given))

    def institution_label(values):
        return _name_label(values, "institution_name") or not_given

    profession = Table("profession", _("By profession"), split_by_sex=True)
    institution = Table("institution", _("By institution"), split_by_sex=True)
    _participations(profession, counted, profession_label)
    _participations(institution, counted, institution_label)
    profession.sort(list(professions))
    institution.sort()
    return [sex_table(counted), profession, institution]


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
    """The tables by sex, profession, institution, region, theme and over time, in two queries (stats/counting.py);
    given `frozen` (stats/rollup.py, for the unfiltered figures), the participations are those it gives."""
    not_given = str(_("not given"))
    region = Table("region", _("By region"), split_by_sex=True)
    theme = Table("theme", _("By theme"), note=_(
        "A participation counts once in each theme of its course, and so does an event: "
        "the rows of this table add up to more than the totals."
    ))  # fmt: skip
    time = Table("time", _("By quarter") if by == "quarter" else _("By month"))

    def region_label(values):
        return _name_label(values, "region_name") or not_given

    def theme_label(values):
        return _name_label(values, "theme_name") or not_given

    def period_label(values):
        return _time_label(values["period"], by)

    # Every event with participations is among those counted, so the events name their themes.
    counted_events = counting.events(events, by)
    counted = frozen if frozen is not None else counting.participations(enrollments, by)
    for table, label in [(region, region_label), (theme, theme_label), (time, period_label)]:
        _events(table, counted_events, label)
        _participations(table, counted, label)
    region.sort()
    theme.sort()
    _every_period(time, by, period_label)
    return [*person_tables(counted), region, theme, time]
