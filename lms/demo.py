"""Demo data for the foundation: regions, institutions and one user per role."""

from allauth.account.models import EmailAddress
from django.db import transaction

from .models import Audience, Institution, Region, User
from .roles import Role
from .services import role_grant

DEMO_PASSWORD = "sinergia-demo"

MUNICIPALITIES = ["Chișinău", "Bălți", "Bender"]
DISTRICTS = [
    "Anenii Noi", "Basarabeasca", "Briceni", "Cahul", "Cantemir", "Călărași", "Căușeni", "Cimișlia",
    "Criuleni", "Dondușeni", "Drochia", "Dubăsari", "Edineț", "Fălești", "Florești", "Glodeni",
    "Hîncești", "Ialoveni", "Leova", "Nisporeni", "Ocnița", "Orhei", "Rezina", "Rîșcani",
    "Sîngerei", "Soroca", "Strășeni", "Șoldănești", "Ștefan Vodă", "Taraclia", "Telenești", "Ungheni",
]  # fmt: skip
AUTONOMOUS_UNITS = ["UTA Găgăuzia"]
LEFT_BANK = ["Stînga Nistrului"]

INSTITUTIONS = [
    ("General Police Inspectorate", Institution.Kind.POLICE, "Chișinău", "MD"),
    ("Prosecutor General's Office", Institution.Kind.PROSECUTORS_OFFICE, "Chișinău", "MD"),
    ("Supreme Court of Justice", Institution.Kind.COURT, "Chișinău", "MD"),
    ("Chișinău District Court", Institution.Kind.COURT, "Chișinău", "MD"),
    ("Bălți Court of Appeal", Institution.Kind.COURT, "Bălți", "MD"),
    ("Cahul District Court", Institution.Kind.COURT, "Cahul", "MD"),
    ("Comrat District Court", Institution.Kind.COURT, "UTA Găgăuzia", "MD"),
    ("National Institute of Justice", Institution.Kind.OTHER, "Chișinău", "MD"),
    ("Ministry of Internal Affairs of the Republic of Moldova", Institution.Kind.MINISTRY, "Chișinău", "MD"),
    ("La Strada Moldova", Institution.Kind.NGO, "Chișinău", "MD"),
    ("International Centre for Migration Policy Development", Institution.Kind.INTERNATIONAL, None, "AT"),
    ("Ministry of the Interior of the Republic of Lithuania", Institution.Kind.MINISTRY, None, "LT"),
    ("Ministry of the Interior of the Republic of Latvia", Institution.Kind.MINISTRY, None, "LV"),
]

# email, given name, family name, other script, profession, position, institution, sex, language, role
USERS = [
    ("admin@sinergia.test", "Ana", "Țurcanu", "Анна Цуркану", "", "Training programme manager",
     "National Institute of Justice", User.Sex.FEMALE, "ro", Role.ADMINISTRATOR),
    ("trainer@sinergia.test", "Rūta", "Šimkūnė", "", Audience.OTHER, "Senior trainer",
     "Ministry of the Interior of the Republic of Lithuania", User.Sex.FEMALE, "en", Role.TRAINER),
    ("focal@sinergia.test", "Vasile", "Ciobanu", "Василий Чобану", Audience.POLICE_OFFICER, "Head of training unit",
     "General Police Inspectorate", User.Sex.MALE, "ro", Role.FOCAL_POINT),
    ("judge@sinergia.test", "Ștefan", "Bîrsan", "", Audience.JUDGE, "Judge",
     "Chișinău District Court", User.Sex.MALE, "ro", Role.PARTICIPANT),
    ("prosecutor@sinergia.test", "Mariana", "Lungu-Căpățînă", "", Audience.PROSECUTOR, "Prosecutor",
     "Prosecutor General's Office", User.Sex.FEMALE, "ro", Role.PARTICIPANT),
    ("police@sinergia.test", "Наталья", "Кожухарь", "Natalia Cojuhari", Audience.POLICE_OFFICER, "Inspector",
     "General Police Inspectorate", User.Sex.FEMALE, "ru", Role.PARTICIPANT),
    ("ngo@sinergia.test", "Elīna", "Ozoliņa", "", Audience.NGO, "Legal counsellor",
     "La Strada Moldova", User.Sex.FEMALE, "en", Role.PARTICIPANT),
]  # fmt: skip


def seed_regions():
    for kind, names in [
        (Region.Kind.MUNICIPALITY, MUNICIPALITIES),
        (Region.Kind.DISTRICT, DISTRICTS),
        (Region.Kind.AUTONOMOUS_UNIT, AUTONOMOUS_UNITS),
        (Region.Kind.LEFT_BANK, LEFT_BANK),
    ]:
        for name in names:
            Region.objects.update_or_create(name=name, defaults={"kind": kind})


def seed_institutions():
    for name, kind, region, country in INSTITUTIONS:
        Institution.objects.update_or_create(
            name=name,
            defaults={"kind": kind, "region": Region.objects.get(name=region) if region else None, "country": country},
        )


def seed_users():
    """Create the demo users once; a second run leaves them (and their passwords) as they are."""
    created = []
    for email, given, family, other, profession, position, institution, sex, language, role in USERS:
        user, was_created = User.objects.get_or_create(
            email=email,
            defaults={
                "given_name": given,
                "family_name": family,
                "name_other_script": other,
                "profession": profession,
                "position": position,
                "institution": Institution.objects.get(name=institution),
                "region": Region.objects.get(name="Chișinău"),
                "sex": sex,
                "preferred_language": language,
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        role_grant(user=user, role=role)
        if role != Role.PARTICIPANT and profession:
            role_grant(user=user, role=Role.PARTICIPANT)
        created.append((email, role))
    return created


@transaction.atomic
def seed():
    seed_regions()
    seed_institutions()
    return seed_users()
