"""The privacy notice people accept, and the optional consents they give and withdraw: every write is here.

A published notice is never changed; a new version is accepted at each person's next sign-in (lms.adapters
remembers it in the session, lms.middleware.PrivacyNoticeMiddleware asks for it).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Consent, NoticeAcceptance, PrivacyNotice, User

# What each consent lets happen, as the person's privacy page explains it.
CONSENT_EXPLANATIONS = {
    Consent.Kind.PARTICIPANT_LIST: _(
        "Your name and institution appear on the list of participants that the other confirmed participants of "
        "your events see on the event's page."
    ),
}


def notice_current():
    """The latest published version of the privacy notice, or None while none is published."""
    return PrivacyNotice.objects.published().order_by("-version").first()


def notice_version(version):
    """The published notice of that version, or None."""
    return PrivacyNotice.objects.published().filter(version=version).first()


def notice_acceptance(person, notice):
    """When `person` accepted `notice`, or None."""
    return NoticeAcceptance.objects.filter(person=person, notice=notice).first()


def needs_acceptance(person):
    """Whether `person` has yet to accept the current version (nobody has while none is published). One query."""
    accepted = NoticeAcceptance.objects.filter(notice=OuterRef("pk"), person=person)
    current = PrivacyNotice.objects.published().annotate(accepted=Exists(accepted)).order_by("-version").first()
    return current is not None and not current.accepted


def notice_accept(*, person, notice):
    """Record that `person` accepted `notice`, which must be the current version: an old or forged one is refused."""
    current = notice_current()
    if notice is None or current is None or notice.pk != current.pk:
        raise ValidationError(gettext("This is not the current privacy notice: read the current one and accept it."))
    acceptance, _created = NoticeAcceptance.objects.get_or_create(person=person, notice=current)
    return acceptance


def _draft(notice):
    if notice.pk is not None and PrivacyNotice.objects.published().filter(pk=notice.pk).exists():
        raise ValidationError(gettext("A published privacy notice is never changed: start a new version from it."))
    return notice


def notice_save(*, notice):
    """Save a draft of the notice; a published version is refused."""
    _draft(notice).save()
    return notice


def notice_draft_from(*, notice):
    """A new draft holding the texts of `notice`, to change into the next version."""
    texts = {f"text_{code}": getattr(notice, f"text_{code}") for code, _name in settings.LANGUAGES}
    return PrivacyNotice.objects.create(**texts)


def notice_publish(*, notice):
    """Publish a draft as the next version: from now on everybody accepts it at their next sign-in."""
    with transaction.atomic():
        notice = _draft(PrivacyNotice.objects.select_for_update().get(pk=notice.pk))
        texts = {name: getattr(notice, f"text_{code}") or "" for code, name in settings.LANGUAGES}
        missing = [str(name) for name, text in texts.items() if not text.strip()]
        if missing:
            raise ValidationError(
                gettext("Write the notice in every language before publishing it; missing: %(languages)s.")
                % {"languages": ", ".join(missing)}
            )
        latest = PrivacyNotice.objects.published().aggregate(latest=Max("version"))["latest"] or 0
        notice.version, notice.published_at = latest + 1, timezone.now()
        notice.save(update_fields=["version", "published_at"])
    return notice


def _kind(kind):
    if kind not in Consent.Kind.values:
        raise ValidationError(gettext("There is no such consent."))
    return Consent.Kind(kind)


def consent_give(*, person, kind):
    """Give a consent (once: giving it again while it holds changes nothing)."""
    kind = _kind(kind)
    with transaction.atomic():
        # The person's row, locked: two clicks at once give the consent once.
        User.objects.select_for_update().filter(pk=person.pk).first()
        consent = Consent.objects.filter(person=person, kind=kind, withdrawn_at__isnull=True).first()
        return consent or Consent.objects.create(person=person, kind=kind)


def consent_withdraw(*, person, kind):
    """Withdraw a consent, at once: from this moment nothing that needs it shows the person."""
    kind = _kind(kind)
    with transaction.atomic():
        in_force = Consent.objects.select_for_update().filter(person=person, kind=kind, withdrawn_at__isnull=True)
        consent = in_force.first()
        if consent is not None:
            consent.withdrawn_at = timezone.now()
            consent.save(update_fields=["withdrawn_at"])
    return consent


def has_consent(person, kind):
    return Consent.objects.filter(person=person, kind=kind, withdrawn_at__isnull=True).exists()


def consenting(people, kind):
    """Those of `people` (a User queryset) whose consent of `kind` holds now; an account closed or erased shows
    nowhere, whatever it had agreed to."""
    return people.filter(is_active=True, consents__kind=kind, consents__withdrawn_at__isnull=True)


def consent_states(person):
    """[(kind, explanation, the person's latest consent of that kind or None)] for every kind, in order."""
    latest = {}
    for consent in Consent.objects.filter(person=person):  # newest first
        latest.setdefault(consent.kind, consent)
    return [(kind, CONSENT_EXPLANATIONS[kind], latest.get(kind)) for kind in Consent.Kind]
