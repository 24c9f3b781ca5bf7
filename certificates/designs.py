"""Certificate designs: which one an event's certificates follow, what a certificate keeps of it, saving one."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from courses.branding import FUNDER, ISSUER, PARTNER, event_logos
from lms.roles import can

from .models import MAX_SIGNATORIES, Certificate, CertificateDesign


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
    issuer = design.issuer or next(iter(event.organisers.all()), None)
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
