"""The participations and the events of /stats/, counted for all of its tables in one statement each.

The rows to count (a queryset: Django writes its filters and joins) are read once, as a common table expression,
then grouped once per table (UNION ALL). A query per table joined and read the same rows again each time: six
times the joins, most of the filtered page's SQL. (PostgreSQL's GROUPING SETS would do it too; SQLite has none.)
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractMonth, ExtractYear

from courses.models import Course, Event, Theme
from lms.models import Institution, Region, User

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The names of each table's rows in the values given for them, by language: {table: prefix_<code>}.
NAMES = {"institution": "institution_name", "region": "region_name", "theme": "theme_name"}
# Each table's key in the values given for its rows: its key, then the names a row is also told apart by.
KEYS = {
    "sex": ["sex_code"],
    "profession": ["profession_code"],
    "institution": ["institution_pk", *(f"institution_name_{code}" for code in LANGUAGES)],
    "region": ["region_pk", *(f"region_name_{code}" for code in LANGUAGES)],
    "theme": ["theme_id"],
    "time": ["period"],
}
TEXT_KEYS = {"sex", "profession"}
PARTICIPATION_COUNTS = ["participations", "women", "men", "sex_other", "persons", "closed", "attended", "scheduled",
                        "completed", "hours", "certificates"]  # fmt: skip
EVENT_COUNTS = ["planned", "held", "cancelled"]
CENT = Decimal("0.01")


def names(path, prefix):
    """The name at `path` in each language, as {prefix_<code>: expression}: values() would read the
    untranslated column, and the active language's column alone may be empty."""
    return {f"{prefix}_{code}": F(f"{path}_{code}") for code in LANGUAGES}


def _start(path):
    return {"start_year": ExtractYear(path), "start_month": ExtractMonth(path)}


def _rows(queryset, **columns):
    """`queryset` as SQL selecting `columns` ({alias: expression}) under their aliases, and its parameters."""
    return queryset.order_by().annotate(**columns).values(*columns).query.sql_with_params()


def _participation_keys():
    """A participation's person and what places it in each table but sex (the person's own)."""
    return {
        "person": F("user"),
        "profession_code": F("profession"),
        "institution_pk": F("institution"),
        "region_pk": F("event__region"),
        "course_pk": F("event__course"),
        **_start("event__start_date"),
    }


def _participation_rows(enrollments):
    return _rows(
        enrollments,
        **_participation_keys(),
        sex_code=F("user__sex"),
        event_status=F("event__status"),
        attended=F("attended_days"),
        scheduled=F("scheduled_days"),
        passed=F("completed"),
        hours=F("credit_hours"),
        certificate_pk=F("certificate"),
        revoked=F("certificate__revoked_at"),
    )


def _event_rows(events):
    return _rows(events, event_pk=F("pk"), event_status=F("status"), region_pk=F("region"), course_pk=F("course"),
                 **_start("start_date"))  # fmt: skip


THEMES = Course.themes.through


def _column(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _theme_join(alias):
    """Joins the themes of each row's course, as <alias>t: a row per theme, or one without any."""
    return f" LEFT JOIN {_table(THEMES)} {alias}t ON {alias}t.{_column(THEMES, 'course')} = {alias}.course_pk"


def _named(table, alias):
    """The joins that name the rows of `table` grouped from `alias` (after its themes' join), and their names."""
    model, key = {"institution": (Institution, f"{alias}.institution_pk"), "region": (Region, f"{alias}.region_pk"),
                  "theme": (Theme, _key("theme", alias, None))}[table]  # fmt: skip
    join = f" LEFT JOIN {_table(model)} n ON n.{_column(model, 'id')} = {key}"
    return join, [f"n.{_column(model, f'name_{code}')}" for code in LANGUAGES]


def _period(alias, by):
    """A period as a number: months (or quarters) since year 0, as _period_date() reads it."""
    months = f"CAST({alias}.start_year AS INTEGER) * 12 + CAST({alias}.start_month AS INTEGER) - 1"
    return f"({months}) / 3" if by == "quarter" else months


def _period_date(number, by):
    if by == "quarter":
        return date(number // 4, number % 4 * 3 + 1, 1)
    return date(number // 12, number % 12 + 1, 1)


def _key(table, alias, by):
    """The SQL of `table`'s key for a row of `alias`."""
    return {
        "sex": f"{alias}.sex_code",
        "profession": f"{alias}.profession_code",
        "institution": f"{alias}.institution_pk",
        "region": f"{alias}.region_pk",
        "theme": f"{alias}t.{_column(THEMES, 'theme')}",
        "time": _period(alias, by),
    }[table]


def _grouped(table, alias, by, counts, joins=""):
    """One table's SELECT: its name, its key (as text or as a number: the union's columns have one type each),
    its names in each language where it has names, then `counts`."""
    key = _key(table, alias, by)
    names_sql = []
    if table == "theme":
        joins = _theme_join(alias) + joins
    if table in NAMES:
        named, names_sql = _named(table, alias)
        joins += named
    keys = [key, "CAST(NULL AS INTEGER)"] if table in TEXT_KEYS else ["CAST(NULL AS TEXT)", key]
    shown = list(names_sql) or ["CAST(NULL AS TEXT)"] * len(LANGUAGES)
    return (
        f"SELECT '{table}', {', '.join(keys)}, {', '.join(shown)}, {counts} FROM {alias}{joins}"
        f" GROUP BY {', '.join([key, *names_sql])}"
    )


def _values(rows, count_names, by, tables):
    """{table: [values]} from the rows of the union, each table's key and names under their own names."""
    found = {table: [] for table in tables}
    for table, text_key, number_key, *rest in rows:
        names_found, counts = rest[: len(LANGUAGES)], rest[len(LANGUAGES) :]
        key = text_key if table in TEXT_KEYS else number_key
        if table == "time":
            key = _period_date(key, by)
        values = {KEYS[table][0]: key, **dict(zip(count_names, counts, strict=True))}
        if table in NAMES:
            values.update(zip((f"{NAMES[table]}_{code}" for code in LANGUAGES), names_found, strict=True))
        if values.get("hours") is not None:
            values["hours"] = Decimal(str(values["hours"])).quantize(CENT)
        found[table].append(values)
    return found


def _seen_join(table, by):
    """Joins to each participation of p whether its person is among those of d in the same row of `table` (s)."""
    if table == "sex":  # the person's own, the same in all of their rows
        return " LEFT JOIN (SELECT DISTINCT d.person FROM d) s ON s.person = p.person"
    seen = "d"
    if table == "theme":  # each person's courses first, so that a course's themes are looked up once
        seen = f"(SELECT DISTINCT d.person, d.course_pk FROM d) d{_theme_join('d')}"
    return (
        f" LEFT JOIN (SELECT DISTINCT d.person, {_key(table, 'd', by)} AS k FROM {seen}) s"
        f" ON s.person = p.person AND s.k IS NOT DISTINCT FROM {_key(table, 'p', by)}"
    )


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def participations(enrollments, by="month", seen=None, tables=tuple(KEYS)):
    """The participations `enrollments` (a queryset) by sex, profession, institution, region, theme and period
    (`by` month or quarter; or only `tables`), as {table: [values]}, in one statement. Given `seen` (another
    queryset of participations), a row's persons are only those not also among `seen`'s in the same row."""
    # Codes of this project's own (never what a user sent) are written into the statement as they are.
    completed, female, male = Event.Status.COMPLETED, User.Sex.FEMALE, User.Sex.MALE
    try:
        rows_sql, params = _participation_rows(enrollments)
    except EmptyResultSet:  # Django's word for a queryset that matches nothing (event__in=[]), without SQL
        return {table: [] for table in tables}
    ctes = [f"p AS ({rows_sql})"]
    if seen is not None:
        # Only the persons of p: read by person (an index), not found among all of `seen`.
        seen = seen.filter(user__in=RawSQL("SELECT p.person FROM p", ()))
        try:
            seen_sql, seen_params = _rows(seen, **_participation_keys())
        except EmptyResultSet:  # no one seen: every person counts
            seen = None
        else:
            ctes.append(f"d AS ({seen_sql})")
            params = (*params, *seen_params)
    closed = f"p.event_status = '{completed}'"
    branches = []
    for table in tables:
        joins, persons = "", "COUNT(DISTINCT p.person)"
        if seen is not None:
            joins, persons = _seen_join(table, by), f"{persons} FILTER (WHERE s.person IS NULL)"
        # By the person's recorded sex, "other" taking the rest (other, not stated), so that the three add up.
        counts = (
            f"COUNT(*), COUNT(*) FILTER (WHERE p.sex_code = '{female}'), COUNT(*) FILTER (WHERE p.sex_code = '{male}'),"
            f" COUNT(*) FILTER (WHERE p.sex_code IS NULL OR p.sex_code NOT IN ('{female}', '{male}')), {persons},"
            f" COUNT(*) FILTER (WHERE {closed}), SUM(p.attended) FILTER (WHERE {closed}),"
            f" SUM(p.scheduled) FILTER (WHERE {closed}), COUNT(*) FILTER (WHERE {closed} AND p.passed),"
            f" SUM(p.hours) FILTER (WHERE {closed}), COUNT(p.certificate_pk) FILTER (WHERE p.revoked IS NULL)"
        )
        branches.append(_grouped(table, "p", by, counts, joins))
    sql = f"WITH {', '.join(ctes)} " + " UNION ALL ".join(branches)
    return _values(_fetch(sql, params), PARTICIPATION_COUNTS, by, tables)


def events(events, by="month"):
    """The events `events` (a queryset) by region, theme and period, as {table: [values]}, in one statement."""
    counts = ", ".join(
        f"COUNT(DISTINCT e.event_pk) FILTER (WHERE e.event_status = '{status}')"
        for status in (Event.Status.PUBLISHED, Event.Status.COMPLETED, Event.Status.CANCELLED)
    )
    tables = ["region", "theme", "time"]
    try:
        rows_sql, params = _event_rows(events)
    except EmptyResultSet:
        return {table: [] for table in tables}
    sql = f"WITH e AS ({rows_sql}) " + " UNION ALL ".join(_grouped(table, "e", by, counts) for table in tables)
    return _values(_fetch(sql, params), EVENT_COUNTS, by, tables)
