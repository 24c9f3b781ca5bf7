"""Demo data for the foundation: regions, institutions, one user per role and the privacy notice they accepted."""

from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.db.models import Q

from .consents import consent_give, notice_accept, notice_current, notice_publish, notice_save
from .mfa import mfa_set_up
from .models import Audience, Consent, Institution, PrivacyNotice, Region, User
from .roles import Role
from .services import role_grant

DEMO_PASSWORD = "sinergia-demo"
# The administrator and the focal point sign in with a code too (lms.mfa): the secrets of their authenticator
# apps, printed with the logins for people trying the demo to add to their own app.
DEMO_TOTP_SECRETS = {
    "admin@sinergia.test": "SINERGIADEMOADMINISTRATORSECRETS",
    "focal@sinergia.test": "SINERGIADEMOFOCALPOINTTOTPSECRET",
}

# Moldova's regions in their official Romanian and Russian forms; English keeps the Romanian spelling,
# as official English usage does, except where it has names of its own (ENGLISH_REGIONS).
MUNICIPALITIES = [("Chișinău", "Кишинёв"), ("Bălți", "Бельцы"), ("Bender", "Бендеры")]
DISTRICTS = [
    ("Anenii Noi", "Новые Анены"), ("Basarabeasca", "Бессарабка"), ("Briceni", "Бричаны"), ("Cahul", "Кагул"),
    ("Cantemir", "Кантемир"), ("Călărași", "Калараш"), ("Căușeni", "Каушаны"), ("Cimișlia", "Чимишлия"),
    ("Criuleni", "Криуляны"), ("Dondușeni", "Дондюшаны"), ("Drochia", "Дрокия"), ("Dubăsari", "Дубоссары"),
    ("Edineț", "Единцы"), ("Fălești", "Фалешты"), ("Florești", "Флорешты"), ("Glodeni", "Глодяны"),
    ("Hîncești", "Хынчешты"), ("Ialoveni", "Яловены"), ("Leova", "Леова"), ("Nisporeni", "Ниспорены"),
    ("Ocnița", "Окница"), ("Orhei", "Оргеев"), ("Rezina", "Резина"), ("Rîșcani", "Рышканы"),
    ("Sîngerei", "Сынджерей"), ("Soroca", "Сороки"), ("Strășeni", "Страшены"), ("Șoldănești", "Шолданешты"),
    ("Ștefan Vodă", "Штефан-Водэ"), ("Taraclia", "Тараклия"), ("Telenești", "Теленешты"), ("Ungheni", "Унгены"),
]  # fmt: skip
AUTONOMOUS_UNITS = [("UTA Găgăuzia", "АТО Гагаузия")]
LEFT_BANK = [("Stînga Nistrului", "Левобережье Днестра")]
ENGLISH_REGIONS = {"UTA Găgăuzia": "Gagauzia ATU", "Stînga Nistrului": "Left Bank of the Dniester"}

# (English, Romanian, Russian), kind, region (its Romanian name), country
INSTITUTIONS = [
    (("General Police Inspectorate", "Inspectoratul General al Poliției", "Генеральный инспекторат полиции"),
     Institution.Kind.POLICE, "Chișinău", "MD"),
    (("Prosecutor General's Office", "Procuratura Generală", "Генеральная прокуратура"),
     Institution.Kind.PROSECUTORS_OFFICE, "Chișinău", "MD"),
    (("Supreme Court of Justice", "Curtea Supremă de Justiție", "Высшая судебная палата"),
     Institution.Kind.COURT, "Chișinău", "MD"),
    (("Chișinău District Court", "Judecătoria Chișinău", "Суд Кишинэу"), Institution.Kind.COURT, "Chișinău", "MD"),
    (("Bălți Court of Appeal", "Curtea de Apel Bălți", "Апелляционная палата Бельцы"),
     Institution.Kind.COURT, "Bălți", "MD"),
    (("Cahul District Court", "Judecătoria Cahul", "Суд Кагул"), Institution.Kind.COURT, "Cahul", "MD"),
    (("Comrat District Court", "Judecătoria Comrat", "Суд Комрат"), Institution.Kind.COURT, "UTA Găgăuzia", "MD"),
    (("National Institute of Justice", "Institutul Național al Justiției", "Национальный институт юстиции"),
     Institution.Kind.OTHER, "Chișinău", "MD"),
    (("Ministry of Internal Affairs of the Republic of Moldova",
      "Ministerul Afacerilor Interne al Republicii Moldova",
      "Министерство внутренних дел Республики Молдова"), Institution.Kind.MINISTRY, "Chișinău", "MD"),
    (("La Strada Moldova", "Centrul Internațional „La Strada”", "Международный центр «Ла Страда»"),
     Institution.Kind.NGO, "Chișinău", "MD"),
    (("International Centre for Migration Policy Development",
      "Centrul Internațional pentru Dezvoltarea Politicilor Migraționale",
      "Международный центр по развитию миграционной политики"), Institution.Kind.INTERNATIONAL, None, "AT"),
    (("Ministry of the Interior of the Republic of Lithuania", "Ministerul de Interne al Republicii Lituania",
      "Министерство внутренних дел Литовской Республики"), Institution.Kind.MINISTRY, None, "LT"),
    (("Ministry of the Interior of the Republic of Latvia", "Ministerul de Interne al Republicii Letonia",
      "Министерство внутренних дел Латвийской Республики"), Institution.Kind.MINISTRY, None, "LV"),
]  # fmt: skip

# email, given name, family name, other script, profession, position (as each typed it, in their language),
# institution, sex, language, role
USERS = [
    ("admin@sinergia.test", "Ana", "Țurcanu", "Анна Цуркану", "", "Manageră de programe de instruire",
     "National Institute of Justice", User.Sex.FEMALE, "ro", Role.ADMINISTRATOR),
    ("trainer@sinergia.test", "Rūta", "Šimkūnė", "", Audience.OTHER, "Senior trainer",
     "Ministry of the Interior of the Republic of Lithuania", User.Sex.FEMALE, "en", Role.TRAINER),
    ("focal@sinergia.test", "Vasile", "Ciobanu", "Василий Чобану", Audience.POLICE_OFFICER, "Șef al Secției instruire",
     "General Police Inspectorate", User.Sex.MALE, "ro", Role.FOCAL_POINT),
    ("judge@sinergia.test", "Ștefan", "Bîrsan", "", Audience.JUDGE, "Judecător",
     "Chișinău District Court", User.Sex.MALE, "ro", Role.PARTICIPANT),
    ("prosecutor@sinergia.test", "Mariana", "Lungu-Căpățînă", "", Audience.PROSECUTOR, "Procuror",
     "Prosecutor General's Office", User.Sex.FEMALE, "ro", Role.PARTICIPANT),
    ("police@sinergia.test", "Наталья", "Кожухарь", "Natalia Cojuhari", Audience.POLICE_OFFICER, "Инспектор",
     "General Police Inspectorate", User.Sex.FEMALE, "ru", Role.PARTICIPANT),
    ("ngo@sinergia.test", "Elīna", "Ozoliņa", "", Audience.NGO, "Legal counsellor",
     "La Strada Moldova", User.Sex.FEMALE, "en", Role.PARTICIPANT),
]  # fmt: skip


def seed_named(model, names, **defaults):
    """Create or update the row of `model` named `names` (English, Romanian, Russian). A row is found by any
    of these names in any language: a demo seeded before names had three languages kept them in English."""
    columns = ("name_en", "name_ro", "name_ru")
    found = Q()
    for column in columns:
        found |= Q(**{f"{column}__in": names})
    row = model.objects.filter(found).first() or model()
    for column, name in [*zip(columns, names, strict=True), *defaults.items()]:
        setattr(row, column, name)
    row.save()
    return row


def demo_region(romanian_name):
    return Region.objects.get(name_ro=romanian_name)


def demo_institution(english_name):
    return Institution.objects.get(name_en=english_name)


def seed_regions():
    for kind, names in [
        (Region.Kind.MUNICIPALITY, MUNICIPALITIES),
        (Region.Kind.DISTRICT, DISTRICTS),
        (Region.Kind.AUTONOMOUS_UNIT, AUTONOMOUS_UNITS),
        (Region.Kind.LEFT_BANK, LEFT_BANK),
    ]:
        for romanian, russian in names:
            seed_named(Region, (ENGLISH_REGIONS.get(romanian, romanian), romanian, russian), kind=kind)


def seed_institutions():
    for names, kind, region, country in INSTITUTIONS:
        seed_named(Institution, names, kind=kind, region=demo_region(region) if region else None, country=country)


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
                "institution": demo_institution(institution),
                "region": demo_region("Chișinău"),
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
        if email in DEMO_TOTP_SECRETS:
            seed_authenticator(user, DEMO_TOTP_SECRETS[email])
        created.append((email, role))
    return created


def seed_authenticator(user, secret):
    """An authenticator app with `secret`, and recovery codes, unless the user already set one up."""
    if not mfa_set_up(user):
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)


# Version 1 of the privacy notice, in plain words, one file a language (the format of PrivacyNotice.text).
PRIVACY_NOTICE = Path(__file__).resolve().parent / "demo_privacy_notice"
# Demo participants who agreed to appear on the participant lists of their events (the others did not).
LISTED_PARTICIPANTS = ["judge@sinergia.test", "prosecutor@sinergia.test", "ngo@sinergia.test"]


def seed_privacy():
    """Version 1 of the privacy notice, unless one is published already; every demo user accepted the current
    version, and a few participants agreed to appear on participant lists."""
    notice = notice_current()
    if notice is None:
        texts = {f"text_{code}": (PRIVACY_NOTICE / f"{code}.txt").read_text("utf-8") for code in ("en", "ro", "ru")}
        notice = notice_publish(notice=notice_save(notice=PrivacyNotice(**texts)))
    for user in User.objects.filter(email__in=[email for email, *_rest in USERS]):
        notice_accept(person=user, notice=notice)
    # Once: a demo user who has since withdrawn the consent keeps it withdrawn.
    listed = User.objects.filter(email__in=LISTED_PARTICIPANTS)
    for user in listed.exclude(consents__kind=Consent.Kind.PARTICIPANT_LIST):
        consent_give(person=user, kind=Consent.Kind.PARTICIPANT_LIST)


@transaction.atomic
def seed():
    seed_regions()
    seed_institutions()
    logins = seed_users()
    seed_privacy()
    return logins
