from datetime import date, datetime, time, timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.utils import timezone

from courses.models import AgendaItem, Course, CourseAudience, Enrollment, Event, Facilitator, Programme, Theme
from lms.models import Audience, Institution, Region, User
from lms.roles import Role, can
from lms.services import role_grant

PASSWORD = "correct horse battery staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Region {n}")
    kind = Region.Kind.DISTRICT


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institution {n}")
    kind = Institution.Kind.COURT
    region = factory.SubFactory(RegionFactory)


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified email address, able to sign in with PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    given_name = "Ion"
    family_name = factory.Sequence(lambda n: f"Popescu{n}")
    profession = Audience.JUDGE
    institution = factory.SubFactory(InstitutionFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create:
            role_grant(user=user, role=extracted or Role.PARTICIPANT)

    @factory.post_generation
    def authenticator(user, create, extracted, **kwargs):
        """An authenticator app for those whose role requires one (lms.mfa), or for anyone with True; False: none."""
        if create and extracted is not False and (extracted or can(user, "mfa.required")):
            authenticator_app(user)


def authenticator_app(user):
    """Give `user` an authenticator app, as administrators and focal points must have (lms.mfa)."""
    TOTP.activate(user, generate_totp_secret())


def totp_secret(user):
    """The secret of `user`'s authenticator app, as the app holds it."""
    return decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])


def _future(days):
    return timezone.localdate() + timedelta(days=days)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_en = factory.LazyAttribute(lambda theme: theme.slug.replace("-", " ").title())


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    code = factory.Sequence(lambda n: f"GRANT-{n:04d}")
    title_en = factory.Sequence(lambda n: f"Programme {n}")
    funder = factory.SubFactory(InstitutionFactory, kind=Institution.Kind.INTERNATIONAL)
    starts_on = date(2018, 1, 1)
    ends_on = date(2030, 12, 31)


class CourseFactory(factory.django.DjangoModelFactory):
    """A course; `audiences=[...]` and `themes=[...]` set its groups and themes."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"course-{n}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    activity_type = Course.ActivityType.COURSE

    @factory.post_generation
    def audiences(course, create, extracted, **kwargs):
        if not create:
            return
        for audience in extracted or [Audience.JUDGE]:
            CourseAudience.objects.create(course=course, audience=audience)

    @factory.post_generation
    def themes(course, create, extracted, **kwargs):
        if extracted:
            course.themes.set(extracted)


class EventFactory(factory.django.DjangoModelFactory):
    """A published two-day event a month from now, open for enrollment."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    start_date = factory.LazyFunction(lambda: _future(30))
    end_date = factory.LazyAttribute(lambda event: event.start_date + timedelta(days=1))
    city = "Chișinău"
    working_language = "ro"
    capacity = 20
    enrollment_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    enrollment_closes_at = factory.LazyAttribute(
        lambda event: datetime.combine(
            event.start_date - timedelta(days=2), time(18), tzinfo=timezone.get_default_timezone()
        )
    )
    status = Event.Status.PUBLISHED

    @factory.post_generation
    def trainers(event, create, extracted, **kwargs):
        if extracted:
            event.trainers.set(extracted)


class FacilitatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facilitator

    name = factory.Sequence(lambda n: f"Expert {n}")
    organisation = "Ministry of the Interior"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    date = factory.LazyAttribute(lambda item: item.event.start_date)
    starts_at = time(9)
    ends_at = time(10, 30)
    title_en = factory.Sequence(lambda n: f"Session {n}")

    @factory.post_generation
    def facilitators(item, create, extracted, **kwargs):
        if extracted:
            item.facilitators.set(extracted)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    institution = factory.LazyAttribute(lambda enrollment: enrollment.user.institution)
    profession = factory.LazyAttribute(lambda enrollment: enrollment.user.profession)
    status = Enrollment.Status.CONFIRMED
