"""Raw writes (COPY on PostgreSQL) and id look-ups for the bulk services.

The writes are set-based: a batch's rows go into a temporary staging table (COPY on
PostgreSQL, one executemany on SQLite), then one statement merges them (INSERT ... SELECT
... ON CONFLICT DO NOTHING RETURNING, UPDATE ... FROM), and history rows are written the
same way, so a batch costs the same few statements whatever its size. The services decide
what to write (the rules live there, once); these only move rows, so both databases end
with the same rows. (A SQLite older than 3.35 falls back to the ORM's bulk methods.)
"""

import datetime
import json
from collections.abc import Iterable, Sequence
from functools import wraps
from itertools import count
from operator import attrgetter

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import lookups
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from hubs.identifiers import first_named, values_by_field
from hubs.models import Paper

# The PostgreSQL advisory lock a bulk write holds until it commits (any number: this site's).
BULK_WRITES_LOCK = 7_316_101


def one_bulk_write_at_a_time(service):
    """Run the bulk service in a transaction that first waits for any other bulk write to
    commit. Each batch reads which rows exist and then inserts the rest; two importers
    (or generate_corpus runs) at once would both insert the same new rows, and the
    merge's ON CONFLICT would skip the other's, leaving a batch without the ids it needs
    (its history write then fails, and the batch with it). Taking turns per batch costs
    nothing when one runs alone. SQLite lets one writer in at a time already."""

    @wraps(service)
    @transaction.atomic
    def run(*args, **kwargs):
        database = connections[DEFAULT_DB_ALIAS]
        if database.vendor == "postgresql":
            with database.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BULK_WRITES_LOCK])
        return service(*args, **kwargs)

    return run


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


def _getters(fields: Sequence[models.Field], *, add: bool | None) -> list:
    """One function per field giving an instance's value as the database stores it; with
    `add` (True for an insert, False for an update) auto_now fields are stamped first, with
    None they are taken as they are (history rows copy the row)."""
    # The real connection, not the `connection` proxy: these run a million times.
    database = connections[DEFAULT_DB_ALIAS]
    getters = []
    for f in fields:
        if add is not None and _stamped(f, add):
            # One stamp for the batch, prepared once (pre_save would ask the clock per row).
            getters.append(_stamp_getter(f, database))
        elif isinstance(f, _PREPARED_FIELDS):
            # pre_save of a field that is not stamped is the attribute itself.
            getters.append(_prepared_getter(f, database))
        else:
            getters.append(attrgetter(f.attname))
    return getters


def _prepared_getter(field: models.Field, database):
    """field.get_db_prep_save of the instance's value, with shortcuts that store the same
    value (test_bulk_rows_store_each_value_as_the_orm_does): None is NULL for each of these
    fields; a JSONField's list or dict is its JSON text, encoded by one encoder made once
    (the ORM makes an encoder per value, json.dumps with `cls`, and on PostgreSQL wraps the
    value for the driver to encode; COPY reads the same text into jsonb, and SQLite stores
    exactly that text); a date, time or decimal is prepared once per distinct value in the
    batch (a batch holds a few thousand dates and a hundred novelties, and its one stamp)."""
    attname, prep = field.attname, field.get_db_prep_save
    if isinstance(field, models.JSONField):
        # What json.dumps(value, cls=field.encoder) writes, json.dumps's own defaults.
        encode = (field.encoder or json.JSONEncoder)().encode

        def get_json(obj):
            value = getattr(obj, attname)
            if value is None:
                return None
            return encode(value) if type(value) in (list, dict) else prep(value, database)

        return get_json

    prepared: dict[tuple[type, object], object] = {}

    def get(obj):
        value = getattr(obj, attname)
        if value is None:
            return None
        # By type too: 5 == 5.0 == Decimal(5), and a date never equals a datetime.
        key = (type(value), value)
        if key not in prepared:
            prepared[key] = prep(value, database)
        return prepared[key]

    return get


def _stamped(field: models.Field, add: bool) -> bool:
    return bool(
        getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False))
    )


def _stamp_getter(field: models.Field, database):
    now = timezone.now() if isinstance(field, models.DateTimeField) else timezone.localdate()
    stored = field.get_db_prep_save(now, database)

    def stamp(obj):
        setattr(obj, field.attname, now)
        return stored

    return stamp


def _rows(objs: Sequence[models.Model], fields: Sequence[models.Field], *, add: bool) -> list:
    getters = _getters(fields, add=add)
    return [[get(obj) for get in getters] for obj in objs]


def _new_fields(model: type[models.Model]) -> list[models.Field]:
    # A generated column (Paper.search_text) is the database's to write.
    return [
        column
        for column in model._meta.local_concrete_fields
        if not column.primary_key and not column.generated
    ]


def insert_many(objs: Sequence[models.Model]) -> None:
    """INSERT model instances with insert_rows, each value stored as the ORM would store it."""
    if not objs:
        return
    model = type(objs[0])
    fields = _new_fields(model)
    insert_rows(model, [f.name for f in fields], _rows(objs, fields, add=True))


class Blank:
    """New instances of a model with every field at its default, made by copying one
    template: Model.__init__ asks each field for its default on every row, which was a
    tenth of an import's time. The instances are ordinary, unsaved model instances."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.template = model().__dict__
        del self.template["_state"]
        # Mutable defaults (a JSONField's list) are copied for each instance.
        self.mutable = [
            name for name, value in self.template.items() if isinstance(value, list | dict)
        ]

    def __call__(self, **values) -> models.Model:
        obj = self.model.__new__(self.model)
        fields = obj.__dict__
        fields.update(self.template)
        for name in self.mutable:
            fields[name] = fields[name].copy()
        fields.update(values)
        obj._state = models.base.ModelState()
        return obj


@models.Field.register_lookup
class AnyOf(lookups.In):
    """`field__any_of=values`: rows whose field is one of `values`, given as the database
    stores them (pks, normalised ids), so not prepared one by one. On PostgreSQL it is
    `field = ANY(%s)` with the values as one array parameter: a bulk batch's thousands of
    `IN (%s, ...)` placeholders cost more to prepare, build, convert and parse than the
    look-up itself. Elsewhere it is `IN`, as the ORM writes it."""

    lookup_name = "any_of"

    def get_prep_lookup(self):
        if hasattr(self.rhs, "resolve_expression"):
            raise TypeError("any_of takes values; use `in` for a query or an expression.")
        return list(self.rhs)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [value for value in self.rhs if value is not None]  # NULL matches nothing
        if not values:
            raise EmptyResultSet
        # Typed as the column (psycopg would send a list of small ints as smallint[]): a
        # cross-type comparison leaves PostgreSQL guessing how many rows match.
        column = self.lhs.output_field.db_type(connection)
        array = f"%s::{column}[]" if column else "%s"
        return f"{lhs} = ANY({array})", (*lhs_params, values)


# A foreign key (citing_id__any_of) reads only its own class's lookups, not Field's.
models.ForeignObject.register_lookup(AnyOf)


_stages = count()


def _set_based() -> bool:
    """PostgreSQL, or a SQLite with UPDATE ... FROM (3.33) and RETURNING (3.35)."""
    database = connections[DEFAULT_DB_ALIAS]
    if database.vendor == "sqlite":
        return database.Database.sqlite_version_info >= (3, 35)
    return database.vendor == "postgresql"


def _staged(cursor, model: type[models.Model], fields: Sequence[models.Field], rows) -> str:
    """Rows written into a new temporary table shaped like these columns of `model`'s
    table (COPY on PostgreSQL, one executemany on SQLite); its name. The caller drops it
    (a failure rolls back its creation with the rest of the transaction)."""
    database = connections[DEFAULT_DB_ALIAS]
    quote = database.ops.quote_name
    stage = quote(f"pith_stage_{next(_stages)}")
    columns = ", ".join(quote(f.column) for f in fields)
    source = f"SELECT {columns} FROM {quote(model._meta.db_table)}"
    if database.vendor == "postgresql":
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} AS {source} WITH NO DATA")
        with cursor.copy(f"COPY {stage} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} AS {source} WHERE 0")
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {stage} ({columns}) VALUES ({placeholders})", rows)
    return stage


def insert_returning(objs: Sequence[models.Model], *, unique: Sequence[str]) -> dict[tuple, int]:
    """INSERT new instances, leaving alone rows whose `unique` fields exist already; the
    new rows' pks keyed by the values of `unique` (attnames).

    The rows go into a staging table, then one INSERT ... SELECT ... ON CONFLICT DO
    NOTHING RETURNING merges them and says their pks.
    """
    if not objs:
        return {}
    model = type(objs[0])
    keys = [model._meta.get_field(name) for name in unique]
    if not _set_based():
        return _insert_returning_in_two(objs, keys)
    database = connections[DEFAULT_DB_ALIAS]
    quote = database.ops.quote_name
    fields = _new_fields(model)
    columns = ", ".join(quote(f.column) for f in fields)
    key_columns = ", ".join(quote(key.column) for key in keys)
    with database.cursor() as cursor:
        stage = _staged(cursor, model, fields, _rows(objs, fields, add=True))
        # WHERE true: SQLite needs it to tell the upsert clause from a join's ON.
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
            f"SELECT {columns} FROM {stage} WHERE true ON CONFLICT ({key_columns}) DO NOTHING "
            f"RETURNING {key_columns}, {quote(model._meta.pk.column)}"
        )
        new = {tuple(key): pk for *key, pk in cursor.fetchall()}
        cursor.execute(f"DROP TABLE {stage}")
    return new


def _insert_returning_in_two(objs: Sequence[models.Model], keys) -> dict[tuple, int]:
    """insert_returning for an old SQLite: insert_many, then one look-up of the new pks."""
    insert_many(objs)
    wanted = {tuple(getattr(obj, key.attname) for key in keys) for obj in objs}
    # By the first key (the start of the unique index), then exactly.
    names = [key.attname for key in keys]
    rows = type(objs[0]).objects.filter(**{f"{names[0]}__in": {key[0] for key in wanted}})
    return {
        key: pk
        for *values, pk in rows.order_by().values_list(*names, "pk").iterator()
        if (key := tuple(values)) in wanted
    }


def update_many(objs: Sequence[models.Model], names: Sequence[str]) -> None:
    """UPDATE these fields of saved instances to the instances' values: the rows go into a
    staging table, then one UPDATE ... FROM."""
    if not objs:
        return
    model = type(objs[0])
    if not _set_based():
        model.objects.bulk_update(objs, names)
        return
    database = connections[DEFAULT_DB_ALIAS]
    quote = database.ops.quote_name
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in names]
    assignments = ", ".join(f"{quote(f.column)} = s.{quote(f.column)}" for f in fields)
    with database.cursor() as cursor:
        stage = _staged(cursor, model, [pk, *fields], _rows(objs, [pk, *fields], add=False))
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "
            f"FROM {stage} AS s WHERE t.{quote(pk.column)} = s.{quote(pk.column)}"
        )
        cursor.execute(f"DROP TABLE {stage}")


def history_many(
    objs: Sequence[models.Model], *, update: bool, by, now: datetime.datetime
) -> None:
    """One historical record per saved instance (django-simple-history's rows, written by
    insert_rows instead of building a model instance for each): "+" for new rows, "~" for
    changed ones, by `by`, at `now`."""
    if not objs:
        return
    history = type(objs[0]).history.model
    tracked = list(history.tracked_fields)
    getters = _getters(tracked, add=None)
    extra = (now, "", "~" if update else "+", by.pk if by is not None else None)
    rows = [[*(get(obj) for get in getters), *extra] for obj in objs]
    names = [f.name for f in tracked]
    names += ["history_date", "history_change_reason", "history_type", "history_user"]
    insert_rows(history, names, rows)


def update_many_with_history(
    objs: Sequence[models.Model], names: Sequence[str], *, by, now: datetime.datetime
) -> None:
    """update_many plus a "~" historical record for each instance."""
    if not objs:
        return
    if not _set_based():
        bulk_update_with_history(objs, type(objs[0]), names, default_user=by)
        return
    update_many(objs, names)
    history_many(objs, update=True, by=by, now=now)


def paper_pks(identities: Iterable[dict]) -> dict[tuple[str, object], int]:
    """Paper pks keyed by (id field, value) for every id given: one query per id kind."""
    found = {}
    for name, values in values_by_field(identities).items():
        rows = Paper.objects.filter(**{f"{name}__any_of": values}).values_list(name, "pk")
        found.update(((name, value), pk) for value, pk in rows.order_by())
    return found


def resolve(ids: dict, pks: dict) -> int | None:
    """The pk of the paper these ids name, from paper_pks()' answer, in id order."""
    return first_named(ids, pks)
