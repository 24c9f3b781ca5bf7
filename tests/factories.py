import factory
from allauth.account.models import EmailAddress

from lms.models import Audience, Institution, Region, User
from lms.roles import Role
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
