"""Demo catalog: the 2018 Chișinău training and the mission's standing programme."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from lms.demo import demo_institution, demo_region, seed_named
from lms.models import Audience, Institution, User

from .models import (
    AgendaItem,
    AnnualTarget,
    Attendance,
    Course,
    CourseAudience,
    Enrollment,
    Event,
    Facilitator,
    Programme,
    Theme,
)
from .services import completion_freeze

THEMES = {
    "trafficking-prevention": ("Trafficking prevention", "Prevenirea traficului de ființe umane", "Предупреждение торговли людьми"),
    "child-trafficking": ("Trafficking in children", "Traficul de copii", "Торговля детьми"),
    "victim-protection": ("Victim protection and assistance", "Protecția și asistența victimelor", "Защита и помощь жертвам"),
    "domestic-violence": ("Domestic violence", "Violența în familie", "Насилие в семье"),
    "gender-equality": ("Gender equality", "Egalitatea de gen", "Гендерное равенство"),
    "migration-policy": ("Migration policy", "Politica în domeniul migrației", "Миграционная политика"),
    "non-discrimination": ("Non-discrimination", "Nediscriminarea", "Недискриминация"),
    "inter-agency-cooperation": ("Inter-agency cooperation", "Cooperarea interinstituțională", "Межведомственное сотрудничество"),
}  # fmt: skip

# The facilitators' fields given as (English, Romanian, Russian).
IN_THREE_LANGUAGES = ("position", "organisation")
FACILITATORS = [
    {
        "name": "Lāsma Stabiņa",
        "name_other_script": "Ласма Стабиня",
        "position": (
            "National Coordinator on Combating Trafficking in Human Beings",
            "Coordonatoare națională pentru combaterea traficului de ființe umane",
            "Национальный координатор по противодействию торговле людьми",
        ),
        "organisation": (
            "Ministry of the Interior of the Republic of Latvia",
            "Ministerul de Interne al Republicii Letonia",
            "Министерство внутренних дел Латвийской Республики",
        ),
        "country": "LV",
        "bio_en": "National coordinator of Latvia's anti-trafficking policy, working with police, prosecutors, "
        "labour inspectors and NGOs on a common referral mechanism.",
        "bio_ro": "Coordonatoare națională a politicii Letoniei de combatere a traficului de ființe umane.",
        "bio_ru": "Национальный координатор Латвии по противодействию торговле людьми.",
        "themes": ["trafficking-prevention", "inter-agency-cooperation"],
    },
    {
        "name": "Ian Sweet",
        "name_other_script": "Иан Свит",
        "position": ("Adviser", "Consilier", "Советник"),
        "organisation": (
            "Office of the UK Independent Anti-Slavery Commissioner",
            "Biroul Comisarului Independent pentru Combaterea Sclaviei din Regatul Unit",
            "Офис Независимого уполномоченного Соединенного Королевства по борьбе с рабством",
        ),
        "country": "GB",
        "bio_en": "Works on partnership and coordination between law enforcement, local authorities and "
        "civil society against modern slavery.",
        "bio_ro": "Lucrează la parteneriatul dintre organele de drept, autoritățile locale și societatea civilă.",
        "bio_ru": "Занимается партнерством правоохранительных органов, местных властей и гражданского общества.",
        "themes": ["inter-agency-cooperation", "victim-protection"],
    },
    {
        "name": "Jorn van Rij",
        "title": "Dr",
        "name_other_script": "Йорн ван Рей",
        "position": (
            "Senior lecturer in criminology",
            "Lector superior în criminologie",
            "Старший преподаватель криминологии",
        ),
        "organisation": (
            "Inholland University of Applied Sciences",
            "Universitatea de Științe Aplicate Inholland",
            "Университет прикладных наук Inholland",
        ),
        "country": "NL",
        "bio_en": "Criminologist teaching and researching intelligence-led policing and information exchange.",
        "bio_ro": "Criminolog, cercetează activitatea polițienească bazată pe informații.",
        "bio_ru": "Криминолог, исследует полицейскую деятельность на основе оперативной информации.",
        "themes": ["trafficking-prevention"],
    },
]

MISSION = (
    "International Justice and Security Mission",
    "Misiunea Internațională pentru Justiție și Securitate",
    "Международная миссия по вопросам правосудия и безопасности",
)
# The places of the demo's events, by their Romanian name: (English, Romanian, Russian).
CITIES = {
    "Chișinău": ("Chișinău", "Chișinău", "Кишинёв"),
    "Bălți": ("Bălți", "Bălți", "Бельцы"),
    "Cahul": ("Cahul", "Cahul", "Кагул"),
    "Comrat": ("Comrat", "Comrat", "Комрат"),
    "Soroca": ("Soroca", "Soroca", "Сороки"),
}
POLICE_INSPECTORATE = (
    "General Police Inspectorate",
    "Inspectoratul General al Poliției",
    "Генеральный инспекторат полиции",
)

CHISINAU_COURSE = {
    "slug": "synergies-against-trafficking",
    "titles": (
        "Building synergies in combating trafficking in human beings",
        "Consolidarea sinergiilor în combaterea traficului de ființe umane",
        "Укрепление взаимодействия в борьбе с торговлей людьми",
    ),
    "summaries": (
        "A two-day training for state institutions, law-enforcement bodies and NGOs on partnership, "
        "coordination mechanisms and intelligence-led policing against trafficking in human beings.",
        "Instruire de două zile pentru instituțiile statului, organele de drept și ONG-uri privind "
        "parteneriatul, mecanismele de coordonare și activitatea polițienească bazată pe informații.",
        "Двухдневный тренинг для государственных учреждений, правоохранительных органов и НКО о партнерстве, "
        "механизмах координации и полицейской деятельности на основе информации.",
    ),
    "activity_type": Course.ActivityType.SEMINAR,
    "audiences": [Audience.POLICE_OFFICER, Audience.PROSECUTOR, Audience.JUDGE, Audience.NGO,
                  Audience.SOCIAL_WORKER, Audience.LOCAL_AUTHORITY],
    "themes": ["trafficking-prevention", "inter-agency-cooperation", "victim-protection"],
}  # fmt: skip

# slug, (titles en/ro/ru), activity type, audiences, themes, city, region, language, weeks from now, days
MISSION_COURSES = [
    ("preventing-child-trafficking",
     ("Preventing trafficking in children", "Prevenirea traficului de copii", "Предупреждение торговли детьми"),
     Course.ActivityType.COURSE, [Audience.JUDGE, Audience.PROSECUTOR], ["child-trafficking", "trafficking-prevention"],
     "Bălți", "Bălți", "ro", 3, 2),
    ("assisting-victims-of-trafficking",
     ("Protecting and assisting victims of trafficking", "Protecția și asistența victimelor traficului",
      "Защита и помощь жертвам торговли людьми"),
     Course.ActivityType.COURSE, [Audience.POLICE_OFFICER, Audience.SOCIAL_WORKER], ["victim-protection"],
     "Cahul", "Cahul", "ro", 5, 2),
    ("domestic-violence-investigation",
     ("Domestic violence: investigation and protection orders", "Violența în familie: investigarea și ordinele de protecție",
      "Насилие в семье: расследование и защитные предписания"),
     Course.ActivityType.COURSE, [Audience.POLICE_OFFICER, Audience.PROSECUTOR], ["domestic-violence", "gender-equality"],
     "Comrat", "UTA Găgăuzia", "ru", 7, 3),
    ("gender-equality-in-judicial-practice",
     ("Gender equality and non-discrimination in judicial practice",
      "Egalitatea de gen și nediscriminarea în practica judiciară",
      "Гендерное равенство и недискриминация в судебной практике"),
     Course.ActivityType.SEMINAR, [Audience.JUDGE], ["gender-equality", "non-discrimination"],
     "Chișinău", "Chișinău", "ro", 9, 1),
    ("migration-policy-and-rights",
     ("Migration policy and the rights of migrants", "Politica migrațională și drepturile migranților",
      "Миграционная политика и права мигрантов"),
     Course.ActivityType.E_LEARNING, [Audience.POLICE_OFFICER, Audience.PROSECUTOR, Audience.LAWYER],
     ["migration-policy", "non-discrimination"], "", None, "en", 11, 1),
]  # fmt: skip

COORDINATION = {
    "slug": "technical-coordination-meeting",
    "titles": ("Technical coordination meeting", "Ședința de coordonare tehnică", "Техническое координационное совещание"),
    "regional_slug": "regional-coordination-meeting",
    "regional_titles": ("Regional coordination meeting", "Ședința regională de coordonare",
                        "Региональное координационное совещание"),
}  # fmt: skip


def translated(field, values):
    return {f"{field}_{code}": value for code, value in zip(("en", "ro", "ru"), values, strict=True)}


def seed_themes():
    return {
        slug: Theme.objects.update_or_create(slug=slug, defaults=translated("name", names))[0]
        for slug, names in THEMES.items()
    }


def seed_course(slug, titles, activity_type, audiences, theme_slugs, themes, summaries=None):
    defaults = {"activity_type": activity_type, **translated("title", titles)}
    if summaries:
        defaults.update(translated("summary", summaries))
    course, _created = Course.objects.update_or_create(slug=slug, defaults=defaults)
    course.themes.set([themes[slug] for slug in theme_slugs])
    for audience in audiences:
        CourseAudience.objects.get_or_create(course=course, audience=audience)
    return course


def seed_event(course, start, days, *, programme, city, region, language, status, capacity=25, **extra):
    tz = timezone.get_default_timezone()
    closes = datetime.combine(start - timedelta(days=3), time(18, 0), tzinfo=tz)
    event, _created = Event.objects.update_or_create(
        course=course,
        start_date=start,
        defaults={
            "end_date": start + timedelta(days=days - 1),
            "programme": programme,
            **translated("city", CITIES[city] if city else ("", "", "")),
            "region": demo_region(region) if region else None,
            "format": Event.Format.ONLINE if not city else Event.Format.IN_PERSON,
            "working_language": language,
            "capacity": capacity,
            "enrollment_opens_at": closes - timedelta(days=60),
            "enrollment_closes_at": closes,
            "status": status,
            **extra,
        },
    )
    return event


def seed_chisinau_training(themes):
    institutions = {name: demo_institution(name) for name in [
        "International Centre for Migration Policy Development",
        "Ministry of the Interior of the Republic of Lithuania",
        "Ministry of the Interior of the Republic of Latvia",
        "Ministry of Internal Affairs of the Republic of Moldova",
        "General Police Inspectorate",
    ]}  # fmt: skip
    programme, _created = Programme.objects.update_or_create(
        code="ICMPD/2018/MPF-240-003",
        defaults={
            **translated("title", (
                "Enhancing Moldova's capacities in combating trafficking in human beings",
                "Consolidarea capacităților Moldovei în combaterea traficului de ființe umane",
                "Укрепление потенциала Молдовы в борьбе с торговлей людьми",
            )),
            **translated("description", (
                "Funded by ICMPD under the Mobility Partnership Facility.",
                "Finanțat de ICMPD în cadrul Facilității Parteneriatului de Mobilitate.",
                "Финансируется ICMPD в рамках Фонда партнерства по вопросам мобильности.",
            )),
            "funder": institutions["International Centre for Migration Policy Development"],
            "lead_partner": institutions["Ministry of the Interior of the Republic of Lithuania"],
            "starts_on": date(2018, 1, 1),
            "ends_on": date(2018, 12, 31),
        },
    )  # fmt: skip
    programme.partners.set([
        institutions["Ministry of the Interior of the Republic of Latvia"],
        institutions["Ministry of Internal Affairs of the Republic of Moldova"],
    ])  # fmt: skip
    c = CHISINAU_COURSE
    course = seed_course(
        c["slug"], c["titles"], c["activity_type"], c["audiences"], c["themes"], themes, c["summaries"]
    )
    event = seed_event(
        course, date(2018, 6, 4), 2, programme=programme, city="Chișinău", region="Chișinău", language="en",
        status=Event.Status.COMPLETED, capacity=40, **translated("venue_name", POLICE_INSPECTORATE),
        interpretation="English–Romanian, simultaneous",
    )  # fmt: skip
    event.organisers.set([institutions["Ministry of the Interior of the Republic of Lithuania"]])
    event.partners.set([
        institutions["Ministry of the Interior of the Republic of Latvia"],
        institutions["Ministry of Internal Affairs of the Republic of Moldova"],
        institutions["General Police Inspectorate"],
    ])  # fmt: skip
    return event


def seed_facilitators(themes):
    """The experts of the 2018 training; their position and organisation given in three languages."""
    people = {}
    for data in FACILITATORS:
        fields = {key: value for key, value in data.items() if key not in ("name", "themes", *IN_THREE_LANGUAGES)}
        for key in IN_THREE_LANGUAGES:
            fields.update(translated(key, data[key]))
        person, _created = Facilitator.objects.update_or_create(name=data["name"], defaults=fields)
        person.themes.set([themes[slug] for slug in data["themes"]])
        people[data["name"]] = person
    return people


# day offset, start, end, kind, titles (en, ro, ru), facilitator names
CHISINAU_AGENDA = [
    (0, "09:00", "09:30", AgendaItem.Kind.OPENING,
     ("Opening and welcome", "Deschidere și cuvânt de salut", "Открытие и приветствие"), []),
    (0, "09:30", "11:00", AgendaItem.Kind.PRESENTATION,
     ("Building synergy between anti-trafficking partners", "Crearea sinergiei între partenerii anti-trafic",
      "Создание синергии между партнерами по борьбе с торговлей людьми"), ["Lāsma Stabiņa"]),
    (0, "11:00", "11:30", AgendaItem.Kind.BREAK, ("Coffee break", "Pauză de cafea", "Кофе-брейк"), []),
    (0, "11:30", "13:00", AgendaItem.Kind.PRESENTATION,
     ("Coordination mechanisms and partnership", "Mecanisme de coordonare și parteneriat",
      "Механизмы координации и партнерство"), ["Ian Sweet"]),
    (0, "13:00", "14:00", AgendaItem.Kind.BREAK, ("Lunch", "Prânz", "Обед"), []),
    (0, "14:00", "16:00", AgendaItem.Kind.DISCUSSION,
     ("Discussion: partnership in practice", "Discuție: parteneriatul în practică", "Дискуссия: партнерство на практике"),
     ["Lāsma Stabiņa", "Ian Sweet"]),
    (1, "09:00", "11:00", AgendaItem.Kind.PRESENTATION,
     ("Intelligence-led policing and information exchange",
      "Activitatea polițienească bazată pe informații și schimbul de informații",
      "Полицейская деятельность на основе информации и обмен информацией"), ["Jorn van Rij"]),
    (1, "11:00", "11:30", AgendaItem.Kind.BREAK, ("Coffee break", "Pauză de cafea", "Кофе-брейк"), []),
    (1, "11:30", "13:00", AgendaItem.Kind.DISCUSSION,
     ("Moldova's way forward", "Calea de urmat pentru Moldova", "Дальнейшие шаги Молдовы"),
     ["Lāsma Stabiņa", "Ian Sweet", "Jorn van Rij"]),
    (1, "13:00", "13:30", AgendaItem.Kind.CLOSING,
     ("Closing and recommendations", "Închidere și recomandări", "Закрытие и рекомендации"), []),
]  # fmt: skip


def seed_chisinau_agenda(event, people):
    for position, (offset, start, end, kind, titles, names) in enumerate(CHISINAU_AGENDA):
        item, _created = AgendaItem.objects.update_or_create(
            event=event,
            date=event.start_date + timedelta(days=offset),
            starts_at=time.fromisoformat(start),
            defaults={"ends_at": time.fromisoformat(end), "kind": kind, "position": position,
                      "room": "Sala de conferințe", **translated("title", titles)},
        )  # fmt: skip
        item.facilitators.set([people[name] for name in names])


def seed_mission(themes, today):
    funder = seed_named(Institution, MISSION, kind=Institution.Kind.INTERNATIONAL, country="MD")
    programme, _created = Programme.objects.update_or_create(
        code="MISSION-JLE",
        defaults={
            **translated("title", (
                "Justice and law enforcement training programme",
                "Programul de instruire în domeniul justiției și al aplicării legii",
                "Программа обучения в сфере юстиции и правоохранительной деятельности",
            )),
            "funder": funder,
            "starts_on": date(today.year, 1, 1),
            "ends_on": date(today.year + 2, 12, 31),
        },
    )  # fmt: skip
    organisers = [funder, demo_institution("National Institute of Justice")]
    monday = today + timedelta(days=7 - today.weekday())
    events = []
    for slug, titles, activity, audiences, theme_slugs, city, region, language, weeks, days in MISSION_COURSES:
        course = seed_course(slug, titles, activity, audiences, theme_slugs, themes)
        existing = Event.objects.filter(course=course).order_by("start_date").first()
        start = existing.start_date if existing else monday + timedelta(weeks=weeks)
        events.append(seed_event(course, start, days, programme=programme, city=city, region=region,
                                 language=language, status=Event.Status.PUBLISHED))  # fmt: skip
    meeting = seed_course(COORDINATION["slug"], COORDINATION["titles"], Course.ActivityType.COORDINATION_MEETING,
                          [Audience.POLICE_OFFICER, Audience.PROSECUTOR, Audience.NGO, Audience.SOCIAL_WORKER],
                          ["inter-agency-cooperation"], themes)  # fmt: skip
    regional = seed_course(COORDINATION["regional_slug"], COORDINATION["regional_titles"],
                           Course.ActivityType.COORDINATION_MEETING,
                           [Audience.LOCAL_AUTHORITY, Audience.NGO, Audience.SOCIAL_WORKER, Audience.POLICE_OFFICER],
                           ["inter-agency-cooperation"], themes)  # fmt: skip
    for months_ahead in range(1, 5):
        first = date(today.year + (today.month - 1 + months_ahead) // 12, (today.month - 1 + months_ahead) % 12 + 1, 1)
        tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
        events.append(seed_event(meeting, tuesday, 1, programme=programme, city="Chișinău", region="Chișinău",
                                 language="ro", status=Event.Status.PUBLISHED, capacity=30))  # fmt: skip
        if months_ahead % 2:
            city = "Bălți" if months_ahead == 1 else "Cahul"
            events.append(seed_event(regional, tuesday + timedelta(days=2), 1, programme=programme, city=city,
                                     region=city, language="ro", status=Event.Status.PUBLISHED, capacity=30))  # fmt: skip
    cancelled = seed_event(regional, monday + timedelta(weeks=2, days=3), 1, programme=programme, city="Soroca",
                           region="Soroca", language="ro", status=Event.Status.CANCELLED, capacity=30)  # fmt: skip
    for event in [*events, cancelled]:
        event.organisers.set(organisers)
    return events


# given name, family name, sex, profession, institution
CHISINAU_PARTICIPANTS = [
    ("Ion", "Rusu", "male", Audience.POLICE_OFFICER, "General Police Inspectorate"),
    ("Elena", "Ceban", "female", Audience.PROSECUTOR, "Prosecutor General's Office"),
    ("Vasile", "Munteanu", "male", Audience.JUDGE, "Chișinău District Court"),
    ("Tatiana", "Grosu", "female", Audience.SOCIAL_WORKER, "La Strada Moldova"),
    ("Andrei", "Țurcan", "male", Audience.POLICE_OFFICER, "General Police Inspectorate"),
    ("Natalia", "Bălan", "female", Audience.NGO, "La Strada Moldova"),
    ("Sergiu", "Căpățînă", "male", Audience.PROSECUTOR, "Prosecutor General's Office"),
    ("Ludmila", "Șevciuc", "female", Audience.JUDGE, "Supreme Court of Justice"),
    ("Светлана", "Ярошенко", "female", Audience.POLICE_OFFICER, "General Police Inspectorate"),
    ("Dumitru", "Moraru", "male", Audience.POLICE_OFFICER, "Ministry of Internal Affairs of the Republic of Moldova"),
]
# How each participant (in order, the demo accounts first) attended the two days.
CHISINAU_ATTENDANCE = [
    ("present", "present"),
    ("present", "late"),
    ("present", "present"),
    ("present", "absent"),
    ("present", "present"),
    ("late", "present"),
    ("present", "present"),
    ("absent", "present"),
    ("present", "present"),
    ("present", "excused"),
    ("present", "present"),
    ("present", "present"),
    ("present", "present"),
    ("absent", "absent"),
]
TARGETS = [(Audience.JUDGE, 40, 24), (Audience.PROSECUTOR, 40, 24), (Audience.POLICE_OFFICER, 30, 12)]


def seed_chisinau_participants(event):
    """The 2018 training's participants, their attendance, and the event closed with completion recorded."""
    people = list(User.objects.filter(email__in=["judge@sinergia.test", "prosecutor@sinergia.test",
                                                 "police@sinergia.test", "ngo@sinergia.test"]).order_by("email"))  # fmt: skip
    for number, (given, family, sex, profession, institution) in enumerate(CHISINAU_PARTICIPANTS, start=1):
        user, created = User.objects.get_or_create(
            email=f"participant{number:02d}@sinergia.test",
            defaults={"given_name": given, "family_name": family, "sex": sex, "profession": profession,
                      "institution": demo_institution(institution), "preferred_language": "ro"},
        )  # fmt: skip
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        people.append(user)
    for person, days in zip(people, CHISINAU_ATTENDANCE, strict=False):
        enrollment, _created = Enrollment.objects.get_or_create(
            event=event, user=person, defaults={"status": Enrollment.Status.CONFIRMED, **as_asked(person)}
        )
        for day, status in zip(event.days, days, strict=True):
            Attendance.objects.update_or_create(enrollment=enrollment, date=day, defaults={"status": status})
    completion_freeze(event=event)


def as_asked(person):
    """What an enrollment records of the person when they ask."""
    return {"institution": person.institution, "profession": person.profession}


def seed_upcoming_enrollments(events):
    """A few enrollments in the coming events, one of them awaiting the focal point's endorsement."""
    by_slug = {event.course.slug: event for event in events}
    for email, slug, status in [
        ("judge@sinergia.test", "preventing-child-trafficking", Enrollment.Status.CONFIRMED),
        ("prosecutor@sinergia.test", "preventing-child-trafficking", Enrollment.Status.CONFIRMED),
        ("police@sinergia.test", "assisting-victims-of-trafficking", Enrollment.Status.CONFIRMED),
    ]:
        person = User.objects.get(email=email)
        Enrollment.objects.get_or_create(event=by_slug[slug], user=person,
                                         defaults={"status": status, "confirmed_at": timezone.now(), **as_asked(person)})  # fmt: skip
    needs_approval = by_slug["domestic-violence-investigation"]
    needs_approval.requires_approval = True
    needs_approval.save(update_fields=["requires_approval"])
    officer = User.objects.get(email="police@sinergia.test")
    Enrollment.objects.get_or_create(event=needs_approval, user=officer,
                                     defaults={"status": Enrollment.Status.REQUESTED, "awaits_endorsement": True,
                                               **as_asked(officer)})  # fmt: skip


def seed_targets():
    for profession, total, specialised in TARGETS:
        AnnualTarget.objects.update_or_create(
            profession=profession, defaults={"total_hours": total, "specialised_hours": specialised}
        )


@transaction.atomic
def seed(today=None):
    today = today or timezone.localdate()
    themes = seed_themes()
    people = seed_facilitators(themes)
    event = seed_chisinau_training(themes)
    seed_chisinau_agenda(event, people)
    seed_chisinau_participants(event)
    upcoming = seed_mission(themes, today)
    seed_upcoming_enrollments(upcoming)
    seed_targets()
    events = [event, *upcoming]
    trainer = User.objects.filter(email="trainer@sinergia.test").first()
    if trainer:
        for each in events:
            each.trainers.add(trainer)
