"""Certificate designs: which one an event's certificates follow, what a certificate keeps of it, saving one."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from PIL import Image

from courses.branding import FUNDER, ISSUER, PARTNER, event_logos, first_organiser
from courses.models import Course, Event
from lms.pictures import picture_of, stored_picture
from lms.roles import can

from .models import MAX_SIGNATORIES, Certificate, CertificateDesign
from .pdf import certificate_pdf


def design_for(programme):
    """The programme's own design, else the default one, else the default that was never edited."""
    scope = Q(programme__isnull=True) | Q(programme=programme) if programme else Q(programme__isnull=True)
    designs = {
        design.programme_id: design
        for design in CertificateDesign.objects.filter(scope).select_related("issuer").prefetch_related("signatories")
    }
    return designs.get(programme.pk if programme else None) or designs.get(None) or CertificateDesign()


def trainer_role(sex):
    """A signing trainer's role, in the grammatical gender of their recorded sex (the plain word when unknown)."""
    gender = Certificate.Gender.of(sex)
    if gender == Certificate.Gender.FEMININE:
        return pgettext("female", "Trainer")
    if gender == Certificate.Gender.MASCULINE:
        return pgettext("male", "Trainer")
    return _("Trainer")


def design_snapshot(design, event, trainers, signatories=None):
    """What `event`'s certificates keep of `design`, read in the active language: {"issuer", "signatories",
    "design"}. `signatories` replaces the design's own (a preview of a design not saved yet)."""
    roles = [role for role, shown in [(ISSUER, design.show_issuer_logo), (PARTNER, design.show_partner_logos),
                                      (FUNDER, design.show_funder_logo)] if shown]  # fmt: skip
    logos = event_logos(event, roles, issuer=design.issuer)
    signing = [
        {"name": person.name, "role": person.title,
         **({"signature": person.signature.name} if person.signature else {})}
        for person in (signatories if signatories is not None else design.signatories.all() if design.pk else [])
    ]  # fmt: skip
    if design.trainer_signs:
        signing += [{"name": trainer.get_full_name(), "role": trainer_role(trainer.sex)} for trainer in trainers]
    issuer = design.issuer or first_organiser(event)
    return {
        "issuer": issuer.name if issuer else settings.CERTIFICATE_ISSUER,
        "signatories": signing[:MAX_SIGNATORIES],
        "design": {
            "layout": design.layout,
            "logos": [{"name": institution.name, "image": institution.logo.name} for institution in logos],
            **({"stamp": design.stamp.name} if design.stamp else {}),
        },
    }


def certificate_design_save(*, design, signatories, actor):
    """Save `design` with `signatories` (in signing order; those left out are removed). Images replaced or
    cleared stay stored: certificates issued before still print them."""
    if not can(actor, "certificates.design"):
        raise PermissionDenied
    if len(signatories) > MAX_SIGNATORIES:
        raise ValidationError(_("At most three people sign a certificate."))
    with transaction.atomic():
        design.updated_by = actor
        design.validate_constraints()
        design.save()
        design.signatories.all().delete()
        for position, person in enumerate(signatories, start=1):
            person.pk, person.design, person.position = None, design, position
            person.full_clean()
            person.save()
    return design


def certificate_design_use_default(*, programme, actor):
    """The programme's certificates follow the default design again (its own is removed)."""
    if not can(actor, "certificates.design"):
        raise PermissionDenied
    CertificateDesign.objects.filter(programme=programme).delete()


def _sample_event(programme):
    """The programme's latest event (any event's, for the default design), or an unsaved one to draw with."""
    events = Event.objects.select_related("course", "programme__funder", "programme__lead_partner")
    event = (events.filter(programme=programme) if programme else events).order_by("-start_date").first()
    return event or Event(programme=programme, course=Course(title=_("Preventing trafficking in human beings")),
                          start_date=timezone.localdate(), end_date=timezone.localdate())  # fmt: skip


def design_preview(*, design, signatories, language, kind):
    """PDF bytes of a sample certificate under `design` as the form holds it, saved or not: images just
    uploaded are drawn from the request."""
    uploads = {}
    for owner, field in [(design, "stamp"), *((person, "signature") for person in signatories)]:
        image = getattr(owner, field)
        if image and not image._committed:
            key = f"upload-{uuid.uuid4().hex}"
            with Image.open(image.file) as opened:
                opened.load()
                uploads[key] = picture_of(opened, key)
            image.name = key
    with translation.override(language):
        event = _sample_event(design.programme)
        trainers = list(event.trainers.order_by("family_name")) if event.pk else []
        certificate = Certificate(
            uuid=uuid.uuid4(), code="SAMP-LE23-4567", kind=kind, language=language,
            grammatical_gender=Certificate.Gender.FEMININE, printed_name="Ana-Maria Căpățînă-Dumitrașcu",
            name_other_script="Анна-Мария Кэпэцынэ-Думитрашку", course_title=event.course.title,
            event_title=event.display_title if event.pk else event.course.title, start_date=event.start_date,
            end_date=event.end_date, place=", ".join(part for part in [event.venue_name, event.city] if part),
            credit_hours=Decimal(16), attendance_rate=Decimal(100), issued_at=timezone.now(),
            organisers=[institution.name for institution in event.organisers.all()] if event.pk else [],
            programme=str(event.programme) if event.programme_id else "",
            funder=event.programme.funder.name if event.programme_id else "",
            **design_snapshot(design, event, trainers, signatories),
        )  # fmt: skip
    return certificate_pdf(certificate, pictures=lambda name: uploads.get(name) or stored_picture(name))
