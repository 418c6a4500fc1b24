"""Query expressions the listing apps share."""

from django.db.models import BooleanField, Expression, F, Subquery


class Among(Expression):
    """`field` holds one of the values `keys` (a queryset of one column) selects.

    On PostgreSQL this is `field = ANY(ARRAY(keys))`: the keys are read once, before the
    rows, and the rows are then found through an index on `field`. Written as
    `field IN (keys)`, PostgreSQL may instead read every row the query's other conditions
    allow and test each against the keys: the meetings of one city among those starting
    within the hour nationwide (21 ms against 2 ms), or a page of 21 meetings among the
    9,606 its filters match (130 ms against 2 ms). Elsewhere it is plain `IN`.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, field, keys):
        super().__init__()
        # Unless a slice needs it, the keys' order (a model's default one) is work for
        # nothing: Django compiles it and the database sorts by it.
        if not keys.query.is_sliced:
            keys = keys.order_by()
        self.column, self.keys = F(field), Subquery(keys)

    def get_source_expressions(self):
        return [self.column, self.keys]

    def set_source_expressions(self, expressions):
        self.column, self.keys = expressions

    def _sides(self, compiler):
        field_sql, field_params = compiler.compile(self.column)
        keys_sql, keys_params = compiler.compile(self.keys)
        return field_sql, keys_sql, (*field_params, *keys_params)

    def as_sql(self, compiler, connection):
        field, keys, params = self._sides(compiler)
        return f"{field} IN {keys}", params

    def as_postgresql(self, compiler, connection):
        field, keys, params = self._sides(compiler)
        return f"{field} = ANY(ARRAY{keys})", params
