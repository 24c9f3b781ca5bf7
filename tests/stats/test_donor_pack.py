"""The donor pack (XLSX) of a programme, and the XLSX tables of /stats/, read back as a spreadsheet program would."""

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from certificates.models import Certificate
from courses.models import Attendance, Event
from lms.models import Audience, User
from lms.roles import Role
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    EventFactory,
    InstitutionFactory,
    ProgrammeFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
ICMPD_CODE = "ICMPD/2018/MPF-240-003"
# session, user, roles; the programme, the filter's programmes, its partners; 5 figures; 4 sheets; the audit entry
QUERIES = 16
SHEETS = ["Cover", "Indicators", "Events", "Participants", "Attendance", "Certificates"]


def closed_enrollment(event, user, attended, scheduled, hours, completed):
    return EnrollmentFactory(event=event, user=user, attended_days=attended, scheduled_days=scheduled,
                             credit_hours=Decimal(hours), completed=completed,
                             attendance_rate=Decimal(attended * 100 / scheduled))  # fmt: skip


def certificate(enrollment, **fields):
    return Certificate.objects.create(
        enrollment=enrollment, kind="completion", language="ru", printed_name=enrollment.user.get_full_name(),
        course_title="Противодействие торговле людьми", event_title="C", start_date=enrollment.event.start_date,
        end_date=enrollment.event.end_date, credit_hours=12, attendance_rate=100, issuer="Sinergia", **fields,
    )  # fmt: skip


@pytest.fixture
def programme():
    """A small made-up programme whose figures were counted by hand (see each test)."""
    partners = [InstitutionFactory(name="Ministry of the Interior of Latvia"),
                InstitutionFactory(name="Ministry of Internal Affairs of Moldova")]  # fmt: skip
    programme = ProgrammeFactory(
        code=ICMPD_CODE, title_en="Enhancing Moldova's capacities in combating trafficking in human beings",
        funder=InstitutionFactory(name="ICMPD"), lead_partner=InstitutionFactory(name="Lithuanian Ministry"),
        starts_on=date(2018, 3, 1), ends_on=date(2019, 2, 28),
    )  # fmt: skip
    programme.partners.set(partners)
    police, court = InstitutionFactory(name="Police"), InstitutionFactory(name="Court")
    balti, cahul = RegionFactory(name="Bălți"), RegionFactory(name="Cahul")
    course = CourseFactory(title_en="Combating trafficking", title_ro="Combaterea traficului",
                           title_ru="Противодействие торговле людьми")  # fmt: skip
    held = EventFactory(course=course, programme=programme, region=balti, start_date=date(2018, 6, 4),
                        end_date=date(2018, 6, 5), status=Event.Status.COMPLETED)  # fmt: skip
    planned = EventFactory(course=course, programme=programme, region=cahul, start_date=date(2018, 9, 3))
    EventFactory(course=course, programme=programme, region=cahul, start_date=date(2018, 10, 1),
                 status=Event.Status.CANCELLED)  # fmt: skip
    EventFactory(course=course, programme=programme, start_date=date(2018, 11, 5), status=Event.Status.DRAFT)
    EventFactory(course=course, start_date=date(2018, 6, 4), status=Event.Status.COMPLETED)  # another programme
    ana = UserFactory(given_name="Ana", family_name="Ababii", sex=User.Sex.FEMALE,
                      profession=Audience.POLICE_OFFICER, institution=police)  # fmt: skip
    eva = UserFactory(given_name="Eva", family_name="Botnari", sex=User.Sex.FEMALE,
                      profession=Audience.POLICE_OFFICER, institution=police)  # fmt: skip
    ion = UserFactory(given_name="Ion", family_name="Ciobanu", sex=User.Sex.MALE, profession=Audience.JUDGE,
                      institution=court)  # fmt: skip
    alex = UserFactory(given_name="Alex", family_name="Damian", sex=User.Sex.NOT_STATED,
                       profession=Audience.PROSECUTOR, institution=court)  # fmt: skip
    # Held: ana 2/2 days 12 h completed, eva 2/2 days 12 h completed, ion 1/2 days 6 h not completed.
    ana_held = closed_enrollment(held, ana, 2, 2, "12", True)
    eva_held = closed_enrollment(held, eva, 2, 2, "12", True)
    ion_held = closed_enrollment(held, ion, 1, 2, "6", False)
    for enrollment, statuses in [(ana_held, ["present", "present"]), (eva_held, ["present", "late"]),
                                 (ion_held, ["present", "absent"])]:  # fmt: skip
        for day, status in zip(held.days, statuses, strict=True):
            Attendance.objects.create(enrollment=enrollment, date=day, status=status)
    certificate(ana_held)
    certificate(eva_held, revoked_at=datetime(2018, 7, 1, 12, tzinfo=UTC))  # revoked: not counted
    # Planned: ana again and alex; a waitlisted person is no participation.
    EnrollmentFactory(event=planned, user=ana)
    EnrollmentFactory(event=planned, user=alex)
    EnrollmentFactory(event=planned, status="waitlisted", user=UserFactory(institution=police))
    return programme


def pack(client, programme, language="en", **params):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, given_name="Mariana", family_name="Căpățînă"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("stats:donor_pack", args=[programme.pk]), params)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def table(sheet):
    """[{header: value}] of a table sheet."""
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def cover(workbook):
    return {label: value for label, value in workbook.worksheets[0].iter_rows(min_row=3, values_only=True)}


def test_the_sheets_are_in_order_and_in_the_readers_language(client, programme):
    assert pack(client, programme).sheetnames == SHEETS
    for language, words in [("ro", ["Evenimente", "Participanți", "Prezență", "Certificate"]),
                            ("ru", ["Мероприятия", "Участники", "Посещаемость", "Сертификаты"])]:  # fmt: skip
        workbook = pack(client, programme, language)
        with translation.override(language):
            assert workbook.sheetnames == [gettext(title) for title in SHEETS]
        assert workbook.sheetnames[2:] == words
        events = table(workbook.worksheets[2])
        title = {"ro": "Combaterea traficului", "ru": "Противодействие торговле людьми"}[language]
        assert {row[workbook.worksheets[2]["A1"].value] for row in events} == {title}


def test_the_cover_names_the_programme_its_period_the_filters_and_who_asked_when(client, programme):
    before = timezone.localtime().replace(tzinfo=None, second=0, microsecond=0)
    workbook = pack(client, programme)
    lines = cover(workbook)
    assert workbook.worksheets[0]["A1"].value == programme.title
    assert lines["Programme"] == "Enhancing Moldova's capacities in combating trafficking in human beings"
    assert lines["Code"] == ICMPD_CODE
    assert (lines["Funder"], lines["Lead partner"]) == ("ICMPD", "Lithuanian Ministry")
    assert lines["Partners"] == "Ministry of Internal Affairs of Moldova, Ministry of the Interior of Latvia"
    assert lines["Period"] == "01/03/2018 – 28/02/2019"
    assert lines["Filters"] == "none"
    assert lines["Generated by"] == "Mariana Căpățînă"
    # On the site's clock, to the minute, as a date and time.
    generated = lines["Generated on"]
    assert isinstance(generated, datetime) and before <= generated <= before + timedelta(minutes=2)
    assert workbook.worksheets[0].cell(row=10, column=2).number_format == "dd/mm/yyyy hh:mm"
    lines = cover(pack(client, programme, "ru"))
    assert (lines["Программа"], lines["Код"], lines["Партнеры"].count(", ")) == (programme.title, ICMPD_CODE, 1)


def test_the_indicators_match_the_hand_count(client, programme):
    rows = {(row["Section"], row["Indicator"]): row for row in table(pack(client, programme)["Indicators"])}

    def figure(section, indicator, *columns):
        return tuple(rows[(section, indicator)][column] for column in ("Value", *columns))

    assert figure("Events", "Events planned") == (1,)  # the draft and the other programme's are not counted
    assert (figure("Events", "Events held"), figure("Events", "Events cancelled")) == ((1,), (1,))
    # Participations: ana twice, eva, ion, alex; women 3 of 5. Persons: 4, women 2 of 4.
    by_sex = ("Women", "Men", "Other or not stated", "Share of women")
    assert figure("Participants", "Participations", *by_sex) == (5, 3, 1, 1, pytest.approx(0.6))
    assert figure("Participants", "Persons", *by_sex) == (4, 2, 1, 1, pytest.approx(0.5))
    # Police: ana twice, eva; court: ion, alex. Bălți: the held event's three; Cahul: the planned one's two.
    assert figure("Participations by profession", "Police officer", *by_sex) == (3, 3, 0, 0, pytest.approx(1))
    assert figure("Participations by profession", "Prosecutor", *by_sex) == (1, 0, 0, 1, 0)
    assert figure("Participations by institution", "Court", *by_sex) == (2, 0, 1, 1, 0)
    assert figure("Participations by region", "Bălți", *by_sex) == (3, 2, 1, 0, pytest.approx(0.667))
    assert figure("Participations by region", "Cahul", *by_sex) == (2, 1, 0, 1, pytest.approx(0.5))
    assert figure("Results", "Credit hours delivered") == (30,)
    assert figure("Results", "Completion rate") == (pytest.approx(0.667),)  # 2 of the 3 in the held event
    assert figure("Results", "Certificates issued") == (1,)  # eva's was revoked


def test_dates_numbers_and_percentages_are_typed(client, programme):
    workbook = pack(client, programme, "ro")
    events = workbook.worksheets[2]
    assert events["B2"].value == datetime(2018, 6, 4) and events["B2"].is_date
    assert events["B2"].number_format == "dd.mm.yyyy"
    participants = workbook.worksheets[3]
    ana = next(row for row in participants.iter_rows(min_row=2) if row[2].value == "Ababii")  # held, then planned
    rate, hours = ana[8], ana[9]
    assert (rate.value, rate.number_format) == (1, "0.0%")
    assert (hours.value, hours.number_format) == (12, "0.00")
    assert events["G2"].data_type == "n"  # participants of the held event: a number
    certificates = table(workbook.worksheets[5])
    issued = {row[workbook.worksheets[5]["A1"].value]: row for row in certificates}
    assert len(issued) == 2
    # The course in the reader's language, whatever the language the certificate was printed in.
    assert {row[workbook.worksheets[5]["C1"].value] for row in certificates} == {"Combaterea traficului"}


def test_every_table_sheet_has_a_styled_frozen_filtered_header_and_fitted_columns(client, programme):
    workbook = pack(client, programme)
    for sheet in workbook.worksheets[1:]:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == sheet.dimensions
        first = sheet["A1"]
        assert first.font.b and first.fill.fgColor.rgb.endswith("DCE6F1") and first.alignment.wrap_text
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        assert all(8 <= width <= 50 for width in widths), (sheet.title, widths)
    events = workbook["Events"]
    # The title column is as wide as the longest title (capped), the dates as wide as a date.
    assert events.column_dimensions["A"].width == len("Combating trafficking") + 2
    assert events.column_dimensions["B"].width == len("dd/mm/yyyy") + 2


def test_a_title_that_looks_like_a_formula_stays_text(client, programme):
    EventFactory(programme=programme, title_en='=HYPERLINK("http://evil.example","x")', start_date=date(2018, 12, 3))
    workbook = pack(client, programme)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    titles = [cell for cell in workbook["Events"]["A"] if "HYPERLINK" in str(cell.value)]
    assert [(cell.value, cell.data_type) for cell in titles] == [('\'=HYPERLINK("http://evil.example","x")', "s")]
    assert workbook["Events"].cell(row=titles[0].row, column=2).is_date  # its dates stay dates


def test_the_people_are_counted_by_the_institution_and_profession_of_their_request(client, programme):
    ana = User.objects.get(given_name="Ana")
    ana.institution, ana.profession = InstitutionFactory(name="Prosecutor's office"), Audience.PROSECUTOR
    ana.save()
    workbook = pack(client, programme)
    ana_rows = [row for row in table(workbook["Participants"]) if row["Family name"] == "Ababii"]
    assert [(row["Profession"], row["Institution"]) for row in ana_rows] == [("Police officer", "Police")] * 2
    sections = {row["Section"] for row in table(workbook["Indicators"]) if row["Indicator"] == "Prosecutor's office"}
    assert sections == set()


def test_the_filters_of_the_statistics_narrow_the_pack_and_are_named_on_its_cover(client, programme):
    balti = RegionFactory(name="Bălți")
    workbook = pack(client, programme, region=balti.pk, date_from="2018-06-01")
    assert cover(workbook)["Filters"] == "From: 1 June 2018; Region: Bălți"
    assert [row["Event"] for row in table(workbook["Events"])] == ["Combating trafficking"]
    assert len(table(workbook["Participants"])) == 3
    # Unreadable filters are left out, never an error.
    workbook = pack(client, programme, region="nowhere", date_from="yesterday", audience="astronaut")
    assert cover(workbook)["Filters"] == "none"
    assert len(table(workbook["Participants"])) == 5


def test_the_pack_dates_a_certificate_on_the_sites_clock(client, programme):
    Certificate.objects.filter(enrollment__user__given_name="Ana").update(
        issued_at=datetime(2018, 6, 5, 21, 30, tzinfo=UTC)
    )
    rows = table(pack(client, programme)["Certificates"])
    ana = next(row for row in rows if row["Name"].startswith("Ana"))
    assert ana["Issued"] == datetime(2018, 6, 6)  # 00:30 on 6 June in Chișinău
    assert ana["Revoked"] is None


def test_only_administrators_download_it(client, programme):
    url = reverse("stats:donor_pack", args=[programme.pk])
    for user in [UserFactory(role=Role.FOCAL_POINT), UserFactory(role=Role.TRAINER), UserFactory()]:
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get(reverse("stats:donor_pack", args=[programme.pk + 1000])).status_code == 404


def queries(client, programme):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("stats:donor_pack", args=[programme.pk])).status_code == 200
    return len(captured)


def test_the_pack_reads_as_many_queries_with_one_event_as_with_many(client):
    """Each event with two people, their days and certificates: nothing is read row by row."""
    programme = ProgrammeFactory()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    counts = []
    for n in range(15):
        event = EventFactory(programme=programme, status=Event.Status.COMPLETED, region=RegionFactory(),
                             start_date=date(2018, 1, 8) + timedelta(weeks=n), course=CourseFactory())  # fmt: skip
        for _person in range(2):
            enrollment = closed_enrollment(event, UserFactory(institution=InstitutionFactory()), 2, 2, "12", True)
            for day in event.days:
                Attendance.objects.create(enrollment=enrollment, date=day, status=Attendance.Status.PRESENT)
            certificate(enrollment)
        if n in (0, 14):
            counts.append(queries(client, programme))
    assert counts == [QUERIES, QUERIES]


def test_the_tables_of_the_statistics_download_styled_with_their_sex_columns(client, programme):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    url = reverse("stats:export", args=["institution", "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url, {"programme": programme.pk}).content)).active
    assert (sheet.title, sheet.freeze_panes, sheet.auto_filter.ref) == ("By institution", "A2", sheet.dimensions)
    assert sheet["A1"].font.b and sheet["A1"].alignment.wrap_text
    court = next(row for row in table(sheet) if row["By institution"] == "Court")
    # Court: ion (a man, 1 of 2 days, not completed) and alex (sex not stated, in the planned event).
    assert [court[name] for name in ("Participations", "Women", "Men", "Other or not stated", "Persons")] == [
        2, 0, 1, 1, 2]  # fmt: skip
    assert (court["Attendance (%)"], court["Completion (%)"], court["Credit hours"]) == (0.5, 0, 6)
    header = [cell.value for cell in sheet[1]]
    cells = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Court")
    assert [cells[header.index(name)].number_format for name in ("Attendance (%)", "Credit hours")] == [
        "0.0%", "0.00"]  # fmt: skip
    # The CSV keeps the percentage as the page writes it.
    text = client.get(reverse("stats:export", args=["institution", "csv"]), {"programme": programme.pk})
    assert "Court,2,0,1,1,2,50.0,0.0,0,6.0" in text.content.decode()
    # The table by sex is not split by sex again.
    sheet = load_workbook(io.BytesIO(client.get(reverse("stats:export", args=["sex", "xlsx"])).content)).active
    assert "Women" not in [cell.value for cell in sheet[1]]
