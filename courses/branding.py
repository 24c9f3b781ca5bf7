"""The institutions an event's documents show the logos of: who issues or organises, the programme's partners,
its funder (donors' visibility rules ask for the funder's emblem on certificates, agendas and attendance lists)."""

from reportlab.lib.units import mm

from lms.pictures import PictureRow, readable_picture

ISSUER, PARTNER, FUNDER = "issuer", "partner", "funder"
MAX_LOGOS = 6  # more would be too small to read across a page


def event_institutions(event, issuer=None):
    """[(role, institution)], each institution once, in the order their logos are shown: the issuer (`issuer`,
    else the event's first organiser), the programme's lead partner and partners, then its funder."""
    if issuer is None:
        issuer = first_organiser(event)
    programme = event.programme
    chosen = [(ISSUER, issuer)]
    if programme is not None:
        chosen += [(PARTNER, programme.lead_partner), *((PARTNER, partner) for partner in programme.partners.all())]
        chosen.append((FUNDER, programme.funder))
    seen, result = set(), []
    for role, institution in chosen:
        if institution is not None and institution.pk not in seen:
            seen.add(institution.pk)
            result.append((role, institution))
    return result


def event_logos(event, roles=(ISSUER, PARTNER, FUNDER), issuer=None):
    """The institutions of `roles` that have a logo, at most MAX_LOGOS, in event_institutions' order."""
    chosen = [institution for role, institution in event_institutions(event, issuer) if role in roles]
    return [institution for institution in chosen if institution.logo][:MAX_LOGOS]


def first_organiser(event):
    """The organiser named first (an event not saved yet has none)."""
    return next(iter(event.organisers.all()), None) if event.pk else None


def logo_row(event, height=14 * mm):
    """The logos heading an event's printed documents (agenda, sign-in sheet) as one row; None without any."""
    pictures = [readable_picture(institution.logo.name) for institution in event_logos(event)]
    pictures = [picture for picture in pictures if picture]
    return PictureRow(pictures, height) if pictures else None
