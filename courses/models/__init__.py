from .attendance import AnnualTarget, Attendance, CheckInCode
from .catalog import Course, CourseAudience, Facilitator, Programme, Theme
from .enrollment import Enrollment, EnrollmentLog
from .events import WORKING_LANGUAGES, AgendaItem, Event, EventQuerySet, open_for_enrollment_q, validate_time_zone

__all__ = [
    "AnnualTarget",
    "Attendance",
    "CheckInCode",
    "WORKING_LANGUAGES",
    "AgendaItem",
    "Course",
    "CourseAudience",
    "Enrollment",
    "EnrollmentLog",
    "Event",
    "EventQuerySet",
    "Facilitator",
    "Programme",
    "Theme",
    "open_for_enrollment_q",
    "validate_time_zone",
]
