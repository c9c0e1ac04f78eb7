"""Many rows updated with one prepared statement (executemany), for the scoring job.

Django's bulk_update builds a CASE expression per column over the whole batch, and
compiling it cost the backfill four fifths of its time (about 2 ms per voice). The
columns and value conversions here are the model's own fields, so types stay the
ORM's; what is skipped is the per-batch expression building.
"""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Field, Model


def update_rows(model: type[Model], instances: Sequence[Model], fields: Sequence[str]) -> None:
    """UPDATE each instance's `fields` by primary key, as save(update_fields=...) would."""
    if not instances:
        return
    meta = model._meta
    columns: list[Field] = [meta.get_field(name) for name in fields]  # type: ignore[misc]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in columns)
    key = quote(str(meta.pk.column)) if meta.pk else "id"
    # Only quoted names from the model's metadata go into the text; values are parameters.
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {key} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(instance, field.attname), connection) for field in columns]
        + [instance.pk]
        for instance in instances
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
