import base64
import logging
import re
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Now
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from .audit import Action, audit_record
from .consents import notice_accept
from .mail import Message
from .models import Audience, OutgoingEmail, ProfileChangeRequest, User
from .roles import Role, is_administrator
from .storage import stored_file_open

logger = logging.getLogger(__name__)


def role_grant(*, user, role):
    """Give a role; administrators also reach the Django admin.

    A first role (signup's, the demo's) is no change to account for; user_roles_set records the changes.
    """
    with transaction.atomic():
        user.groups.add(Group.objects.get(name=Role(role)))
        if role == Role.ADMINISTRATOR and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    user.__dict__.pop("_roles", None)


# What a person gives at signup and changes afterwards only with an administrator's approval.
APPROVED_FIELDS = ("institution", "profession")


def _profile_save(user, fields):
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def profile_update(*, user, fields, actor):
    """Save the profile fields a form validated; institution and profession only by an administrator."""
    # Compared with the stored row: the admin's form has already put the new values on `user`.
    stored = User.objects.values(*APPROVED_FIELDS).get(pk=user.pk)
    changes = {}
    for name in APPROVED_FIELDS:
        if name in fields and (stored[name] or None) != _approved_value(fields[name]):
            changes[name] = {"from": stored[name] or None, "to": _approved_value(fields[name])}
    if changes and not is_administrator(actor):
        raise ValidationError(gettext("Your institution and profession change only on request, once approved."))
    with transaction.atomic():
        _profile_save(user, fields)
        for name, change in changes.items():
            audit_record(action=Action.PROFILE_CHANGED, actor=actor, subject=user, field=name, **change)
        if "institution" in changes:
            _focal_point_release(user, actor)
    return user


def _approved_value(value):
    """What is compared and logged of an approved field: the institution's id, the profession's code."""
    return getattr(value, "pk", value) or None


def _focal_point_release(user, actor):
    """The focal-point role belongs to one institution: a person who leaves it leaves the role too."""
    roles = _group_roles(user)
    if Role.FOCAL_POINT in roles:
        user.groups.remove(Group.objects.get(name=Role.FOCAL_POINT))
        user.__dict__.pop("_roles", None)
        _roles_changed(user, roles, roles - {Role.FOCAL_POINT}, actor)
        logger.info("User %s left their institution and the focal-point role with it.", user.pk)


def _group_roles(user):
    """The roles a user's groups give (a superuser's implied Administrator role is no group)."""
    return {Role(name) for name in user.groups.filter(name__in=Role.values).values_list("name", flat=True)}


def _roles_changed(user, before, after, actor):
    if before != after:
        change = {"from": sorted(before), "to": sorted(after)}
        audit_record(action=Action.ROLES_CHANGED, actor=actor, subject=user, **change)


def participant_signup_complete(*, user, profile, privacy_notice=None):
    """Finish an account created by signup: its profile (institution and profession included), the role and the
    acceptance of the privacy notice the form showed (None while none is published).

    Without a preferred language, the one the person signed up in is theirs.
    """
    profile = {**profile, "preferred_language": profile.get("preferred_language") or translation.get_language()}
    with transaction.atomic():
        _profile_save(user, profile)
        role_grant(user=user, role=Role.PARTICIPANT)
        if privacy_notice is not None:
            notice_accept(person=user, notice=privacy_notice)
    return user


def profile_change_request(*, user, institution, profession):
    """Ask to change institution or profession; a pending request is replaced by the newer one."""
    if (institution, profession) == (user.institution, user.profession):
        raise ValidationError(gettext("These are already your institution and profession."))
    if profession not in Audience.values:
        raise ValidationError(gettext("Choose a profession from the list."))
    with transaction.atomic():
        change = ProfileChangeRequest.objects.select_for_update().filter(
            user=user, status=ProfileChangeRequest.Status.PENDING
        ).first() or ProfileChangeRequest(user=user)
        change.institution, change.profession = institution, profession
        change.save()
    return change


def _pending_change(change, actor):
    """The request, locked and still pending, decided by an administrator other than its author."""
    change = ProfileChangeRequest.objects.select_for_update().select_related("user").get(pk=change.pk)
    if not is_administrator(actor):
        raise ValidationError(gettext("Only an administrator decides on profile changes."))
    if change.user_id == actor.pk:
        raise ValidationError(gettext("Nobody decides on their own request."))
    if change.status != ProfileChangeRequest.Status.PENDING:
        raise ValidationError(
            gettext("This request is now “%(status)s”; nothing was changed.") % {"status": change.get_status_display()}
        )
    return change


def _decided(change, actor, status):
    change.status, change.decided_by, change.decided_at = status, actor, timezone.now()
    change.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])


def profile_change_approve(*, change, actor):
    """The person's institution and profession become the requested ones."""
    with transaction.atomic():
        change = _pending_change(change, actor)
        profile_update(
            user=change.user, fields={"institution": change.institution, "profession": change.profession}, actor=actor
        )
        _decided(change, actor, ProfileChangeRequest.Status.APPROVED)
    return change


def profile_change_refuse(*, change, actor, reason):
    if not reason.strip():
        raise ValidationError(gettext("Say why the request is refused."))
    with transaction.atomic():
        change = _pending_change(change, actor)
        change.refusal_reason = reason.strip()
        _decided(change, actor, ProfileChangeRequest.Status.REFUSED)
    return change


def outgoing_email_queue(*, to, subject, body_text, body_html="", attachments=(), stored_attachments=(),
                         redact_links=False):  # fmt: skip
    """Store an email in the outbox and hand it to a worker once the transaction commits.

    `attachments` are (filename, bytes, mimetype) triples, kept with the row;
    `stored_attachments` are (filename, path in the default storage, mimetype),
    read when the email is sent (large files such as certificates). The sweep
    hands it over again only once its task seems lost.
    With `redact_links`, the stored copy loses its links once the email is sent (an account email's are keys).
    """
    from .tasks import outbox_deliver

    email = outgoing_email_build(to=to, subject=subject, body_text=body_text, body_html=body_html,
                                 attachments=attachments, stored_attachments=stored_attachments,
                                 redact_links=redact_links)  # fmt: skip
    email.save()
    outbox_deliver.delay(email.pk)
    return email


def outgoing_email_build(*, to, subject, body_text, body_html="", attachments=(), stored_attachments=(),
                         redact_links=False):  # fmt: skip
    """An outbox row not saved yet (see outgoing_email_queue for the arguments)."""
    return OutgoingEmail(
        to=to,
        # One line: a line break in a header makes the message impossible to send.
        subject=" ".join(subject.split())[:255],
        body_text=body_text,
        body_html=body_html,
        attachments=[
            {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode("ascii")}
            for name, content, mimetype in attachments
        ]
        + [{"filename": name, "mimetype": mimetype, "path": path} for name, path, mimetype in stored_attachments],
        redact_links=redact_links,
        handed_over_at=timezone.now(),
    )


def _templated(template, context, language, subject):
    """The subject, text and HTML bodies of templates/email/<template>.txt and .html, in `language`."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "LANGUAGE_CODE": language, **context}
        return {
            "subject": str(subject),
            "body_text": render_to_string(f"email/{template}.txt", context),
            "body_html": render_to_string(f"email/{template}.html", context),
        }


def email_queue_templated(*, to, template, context, language, subject, attachments=(), stored_attachments=()):
    """Render templates/email/<template>.txt and .html in `language` and queue the email.

    `subject` may be lazy; it is translated in `language` too.
    """
    return outgoing_email_queue(to=to, attachments=attachments, stored_attachments=stored_attachments,
                                **_templated(template, context, language, subject))  # fmt: skip


def email_build_templated(*, to, template, context, language, subject, stored_attachments=()):
    """Like email_queue_templated, an outbox row not saved yet: for outgoing_email_send."""
    return outgoing_email_build(to=to, stored_attachments=stored_attachments,
                                **_templated(template, context, language, subject))  # fmt: skip


def outgoing_email_queue_message(*, message, redact_links=False):
    """Queue a rendered Django message, one outbox row per recipient."""
    html = next((content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), "")
    text = message.body
    if message.content_subtype == "html":
        text, html = "", message.body
    return [
        outgoing_email_queue(
            to=recipient, subject=message.subject, body_text=text, body_html=html, redact_links=redact_links
        )
        for recipient in message.to
    ]


def _attachment_bytes(attachment):
    if "path" in attachment:
        with stored_file_open(attachment["path"]) as stored:
            return stored.read()
    return base64.b64decode(attachment["content"])


def _is_permanent(error):
    """5xx answers are final; everything else (4xx, lost connection, timeouts) may pass."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _backoff_seconds(attempts):
    return min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 3600)


def outgoing_email_deliver(*, email_id, connection=None):
    """Send one queued email; its status after ("not due", "missing" when there is nothing to do).

    It is marked sent only after the SMTP server accepted it. The row stays locked
    while sending, so two workers given the same id never both send it. A temporary
    failure leaves it queued until its next attempt is due, when the sweep hands it
    over again; a copy of its task that arrives earlier does nothing.
    `connection`: an open email connection to reuse for several.
    """
    # Due by the database's clock, the one the sweep reads too, whichever machine's clock runs ahead.
    due = ExpressionWrapper(Q(next_attempt_at__lte=Now()), output_field=BooleanField())
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().annotate(due=due).filter(pk=email_id).first()
        if email is None or email.status != OutgoingEmail.Status.QUEUED:
            return email.status if email else "missing"
        # A row never tried is due from the start: only a retry waits.
        if email.attempts and not email.due:
            return "not due"
        return outgoing_email_send(email=email, connection=connection)


def outgoing_email_send(*, email, connection=None, contents=None):
    """Send `email` (a row locked, or one not saved yet) in the caller's transaction and save it with the outcome:
    sent once the server accepted it, else queued until a retry is due (or failed for good); its status.

    A row not saved yet is seen by no one else until the caller commits, so no one else sends it.
    `contents`: {stored path: bytes} of stored attachments already at hand, not read again.
    """
    contents = contents or {}
    email.attempts += 1
    message = Message(email.subject, email.body_text, to=[email.to], connection=connection)
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        content = contents.get(attachment.get("path")) or _attachment_bytes(attachment)
        message.attach(attachment["filename"], content, attachment["mimetype"])
    fields = ["attempts", "last_error", "status"]
    try:
        if connection is not None:
            # Opened here, it stays open for the caller's next email: Django closes only what it opened itself.
            connection.open()
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError, ValueError) as error:
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        # A ValueError is a message that cannot be built (BadHeaderError: a line break in an old row's
        # subject; an invalid address): no retry will mend it.
        if isinstance(error, ValueError) or _is_permanent(error) or email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            email.status = OutgoingEmail.Status.FAILED
        else:
            email.next_attempt_at = timezone.now() + timedelta(seconds=_backoff_seconds(email.attempts))
            email.handed_over_at = None  # no worker holds it now: the sweep hands it over when due
        fields += ["next_attempt_at", "handed_over_at"]
    else:
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        fields.append("sent_at")
        if email.redact_links:
            _links_remove(email)
            fields += ["body_text", "body_html"]
    email.save(update_fields=fields if email.pk else None)
    if email.status == OutgoingEmail.Status.FAILED:
        # The server's answer may quote the address: it stays in the row, which administrators read.
        logger.warning("Email %s failed for good: %s", email.pk, email.last_error.split(":")[0])
    return email.status


# A link in a body: up to a space, a quote or an angle bracket (where an HTML attribute or tag ends).
LINK = re.compile(r"https?://[^\s\"'<>]+")


def _links_remove(email):
    """The stored copy of a sent account email keeps no link: each is a key to the account, and the person has it.

    Said for the administrators who read the outbox, in the site's language (not the email's, nor the visitor's).
    """
    with translation.override(settings.LANGUAGE_CODE):
        placeholder = gettext("[link removed once sent]")
    email.body_text = LINK.sub(placeholder, email.body_text)
    email.body_html = LINK.sub(escape(placeholder), email.body_html)


def outgoing_email_requeue(*, emails):
    """Put failed or stuck emails back in the queue for another round of attempts."""
    from .tasks import outbox_deliver

    ids = list(emails.exclude(status=OutgoingEmail.Status.SENT).values_list("pk", flat=True))
    now = timezone.now()
    OutgoingEmail.objects.filter(pk__in=ids).update(
        status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=now, handed_over_at=now
    )
    for pk in ids:
        outbox_deliver.delay(pk)
    return len(ids)


def outgoing_email_requeue_stuck():
    """The beat's sweep: hand to a worker the queued emails whose next attempt is due and that no worker holds.

    Held means handed over less than OUTBOX_STUCK_AFTER_SECONDS ago: its task waits in a queue, or runs (a worker
    that dies gives it back by itself). Handed over longer ago, its task was lost with the broker's data. Rows a
    worker is sending right now are locked, and skipped. In-process mode has no beat: a retry waits there for an
    administrator to send it again from the admin.
    """
    from .tasks import outbox_deliver

    lost = timezone.now() - timedelta(seconds=settings.OUTBOX_STUCK_AFTER_SECONDS)
    waiting = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=Now()).filter(
        Q(handed_over_at__isnull=True) | Q(handed_over_at__lte=lost)
    )
    with transaction.atomic():
        ids = list(waiting.select_for_update(skip_locked=True).values_list("pk", flat=True))
        OutgoingEmail.objects.filter(pk__in=ids).update(handed_over_at=timezone.now())
        for pk in ids:
            outbox_deliver.delay(pk)  # sent once the mark is committed
    return len(ids)


def user_roles_check(*, user, roles, actor):
    """Refuse roles that `actor` may not give `user`; the admin's form asks before saving anything."""
    if not is_administrator(actor):
        raise ValidationError(gettext("Only an administrator can change roles."))
    if Role.FOCAL_POINT in roles and user.institution_id is None:
        raise ValidationError(gettext("A focal point must belong to an institution: choose the institution first."))


def user_roles_set(*, user, roles, actor):
    """Give `user` exactly these roles; staff access (the Django admin) follows the Administrator role."""
    roles = {Role(role) for role in roles}
    user_roles_check(user=user, roles=roles, actor=actor)
    with transaction.atomic():
        before = _group_roles(user)
        for role in roles:
            role_grant(user=user, role=role)
        user.groups.remove(*Group.objects.filter(name__in=set(Role.values) - roles))
        is_staff = user.is_superuser or Role.ADMINISTRATOR in roles
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
        _roles_changed(user, before, roles, actor)
    user.__dict__.pop("_roles", None)
    return user


def preferred_language_set(*, user, language):
    """The language of a person's emails and certificates, and of the site wherever they sign in."""
    if language not in User.Language.values:
        raise ValidationError(gettext("Choose a language from the list."))
    with transaction.atomic():
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user
