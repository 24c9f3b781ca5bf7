"""`in` on integer columns, safe with numbers no such column can hold.

Django leaves out-of-range numbers out of `exact` and the comparisons (nothing matches them), but not out of `in`:
on SQLite a posted id such as 99999999999999999999 in a multiple choice (facilitators, trainers, themes) raises
OverflowError, a 500, where PostgreSQL finds nothing. Registered on IntegerField in LmsConfig.ready().
"""

from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
