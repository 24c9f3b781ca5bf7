from django.db import models
from django.utils.translation import gettext_lazy as _


class Rollup(models.Model):
    """The participations of completed events, counted once per row of a table of /stats/ (stats/rollup.py):
    completed events are frozen, so their figures are read from here and only open events are counted live."""

    class Table(models.TextChoices):
        SEX = "sex", _("By sex")
        PROFESSION = "profession", _("By profession")
        INSTITUTION = "institution", _("By institution")
        REGION = "region", _("By region")
        THEME = "theme", _("By theme")
        MONTH = "month", _("By month")
        QUARTER = "quarter", _("By quarter")

    table = models.CharField(_("table"), max_length=16, choices=Table.choices)
    # The row's key: the one column its table groups by (the others empty).
    sex = models.CharField(max_length=16, blank=True)
    profession = models.CharField(max_length=32, blank=True)
    institution = models.ForeignKey("lms.Institution", null=True, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("lms.Region", null=True, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey("courses.Theme", null=True, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(null=True)
    participations = models.PositiveIntegerField(default=0)
    women = models.PositiveIntegerField(default=0)
    men = models.PositiveIntegerField(default=0)
    sex_other = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    scheduled = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    certificates = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("statistics of completed events")
        verbose_name_plural = _("statistics of completed events")

    def __str__(self):
        return f"{self.table} {self.pk}"
