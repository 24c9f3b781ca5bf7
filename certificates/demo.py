"""Demo certificates: institutions with logos, designs for the demo's programmes, and the closed 2018 Chișinău
training's certificates issued under them, ready to download."""

from django.core.files.base import ContentFile

from courses.demo import MISSION, translated
from courses.models import Event, Programme
from lms import demo_images
from lms.demo import demo_institution
from lms.models import Institution, User

from .designs import certificate_design_save
from .models import CertificateDesign, DesignSignatory
from .services import certificates_issue_for_event

# English name: the initials and colour of the emblem the demo draws for it.
EMBLEMS = {
    "International Centre for Migration Policy Development": ("ICMPD", "#1d4f91"),
    "Ministry of the Interior of the Republic of Lithuania": ("VRM", "#7a5c00"),
    "Ministry of the Interior of the Republic of Latvia": ("IeM", "#8a1c2b"),
    "Ministry of Internal Affairs of the Republic of Moldova": ("MAI", "#0b4f8a"),
    "General Police Inspectorate": ("IGP", "#0b6e4f"),
    "National Institute of Justice": ("INJ", "#5b2a86"),
    MISSION[0]: ("IJSM", "#1b5e78"),
}
# Programme code (None: the default design): layout, issuer, signatories
# [(names in en/ro/ru, titles in en/ro/ru, seed of the drawn signature)], stamp text.
DESIGNS = {
    None: ("classic", "National Institute of Justice", [
        (("Elena Rusu", "Elena Rusu", "Елена Русу"),
         ("Director, National Institute of Justice", "Director, Institutul Național al Justiției",
          "Директор, Национальный институт юстиции"), 1),
    ], "INSTITUTUL NAȚIONAL AL JUSTIȚIEI"),
    "ICMPD/2018/MPF-240-003": ("sidebar", None, [
        (("Rasa Petrauskienė", "Rasa Petrauskienė", "Раса Петраускене"),
         ("Project coordinator, Ministry of the Interior of Lithuania",
          "Coordonatoare de proiect, Ministerul de Interne al Lituaniei",
          "Координатор проекта, Министерство внутренних дел Литвы"), 2),
    ], ""),
    "MISSION-JLE": ("portrait", MISSION[0], [
        (("Thomas Berger", "Thomas Berger", "Томас Бергер"),
         ("Head of Mission", "Șef al Misiunii", "Глава миссии"), 3),
    ], "INTERNATIONAL JUSTICE AND SECURITY MISSION"),
}  # fmt: skip


def seed_logos():
    for english_name, (initials, colour) in EMBLEMS.items():
        institution = Institution.objects.get(name_en=english_name)
        if not institution.logo:
            institution.logo.save(f"{initials.lower()}.png", ContentFile(demo_images.emblem(initials, colour)))


def seed_designs():
    """Each design once: a design an administrator has since changed stays as they left it."""
    administrator = User.objects.get(email="admin@sinergia.test")
    for code, (layout, issuer, people, stamp) in DESIGNS.items():
        programme = Programme.objects.get(code=code) if code else None
        if CertificateDesign.objects.filter(programme=programme).exists():
            continue
        design = CertificateDesign(programme=programme, layout=layout,
                                   issuer=demo_institution(issuer) if issuer else None)  # fmt: skip
        if stamp:
            design.stamp.save("stamp.png", ContentFile(demo_images.stamp(stamp)), save=False)
        signatories = []
        for names, titles, seed in people:
            person = DesignSignatory(**translated("name", names), **translated("title", titles))
            person.signature.save("signature.png", ContentFile(demo_images.signature(seed)), save=False)
            signatories.append(person)
        certificate_design_save(design=design, signatories=signatories, actor=administrator)


def seed():
    seed_logos()
    seed_designs()
    for event in Event.objects.filter(status=Event.Status.COMPLETED):
        certificates_issue_for_event(event=event)
