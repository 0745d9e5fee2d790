"""Raw inserts (COPY on PostgreSQL) and id look-ups for the bulk services."""

from collections.abc import Iterable, Sequence
from operator import attrgetter

from django.db import DEFAULT_DB_ALIAS, connections, models

from hubs.identifiers import first_named, values_by_field
from hubs.models import Paper


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence]):
    """Write rows of ready values (in the order of `names`): COPY on PostgreSQL, else one
    executemany.

    bulk_create compiles a statement for every few dozen rows on SQLite (999 parameters
    at most) and builds every value through the ORM: on a big import that was most of
    the time. No ids come back; callers that need them look them up.
    """
    database = connections[DEFAULT_DB_ALIAS]
    quote = database.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in names)
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


# Field types whose stored value differs from the Python one (JSON text, dates, decimals);
# every other value goes to the driver as it is.
_PREPARED_FIELDS = (models.JSONField, models.DateField, models.DecimalField)


def insert_many(objs: Sequence[models.Model]) -> None:
    """INSERT model instances with insert_rows, each value stored as the ORM would store it."""
    if not objs:
        return
    model = type(objs[0])
    fields = [column for column in model._meta.local_concrete_fields if not column.primary_key]
    # The real connection, not the `connection` proxy: this loop asks it a million times.
    database = connections[DEFAULT_DB_ALIAS]
    getters = [
        (lambda obj, f=f: f.get_db_prep_save(f.pre_save(obj, True), database))
        if isinstance(f, _PREPARED_FIELDS)
        else attrgetter(f.attname)
        for f in fields
    ]
    rows = [[get(obj) for get in getters] for obj in objs]
    insert_rows(model, [f.name for f in fields], rows)


def paper_pks(identities: Iterable[dict]) -> dict[tuple[str, object], int]:
    """Paper pks keyed by (id field, value) for every id given: one query per id kind."""
    found = {}
    for name, values in values_by_field(identities).items():
        rows = Paper.objects.filter(**{f"{name}__in": values}).values_list(name, "pk")
        found.update(((name, value), pk) for value, pk in rows.order_by())
    return found


def resolve(ids: dict, pks: dict) -> int | None:
    """The pk of the paper these ids name, from paper_pks()' answer, in id order."""
    return first_named(ids, pks)
