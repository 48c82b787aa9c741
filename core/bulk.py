# mypy: disallow-untyped-defs, disallow-incomplete-defs
"""Model-agnostic bulk loading: COPY on PostgreSQL, many rows per INSERT elsewhere, and a larger
SQLite page cache while loading. Used by the dataset import (cases.dataset) and the demo data."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import DateField, DateTimeField, DecimalField, Field, Model

INSERT_ROWS_PER_STATEMENT = 1000
SQLITE_CACHE_KIB = 64 * 1024


def concrete_fields(model: type[Model], names: Sequence[str]) -> "list[Field[Any, Any]]":
    fields = []
    for name in names:
        model_field = model._meta.get_field(name)
        if not isinstance(model_field, Field):
            raise TypeError(f"{model.__name__}.{name} is not a concrete field")
        fields.append(model_field)
    return fields


def rows_insert(model: type[Model], names: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """INSERT rows whose primary keys nobody needs back: COPY on PostgreSQL, else many rows per INSERT.

    bulk_create compiles every value through the ORM, about 10 µs each: for the 100,000 time entries
    of a region that was most of the import. These values are validated and typed already, so only
    dates, datetimes and decimals need the backend's adaptation. Every concrete field must be given
    (raw SQL skips the model defaults).
    """
    if not rows:
        return
    fields = concrete_fields(model, names)
    given = {model_field.name for model_field in fields}
    missing = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name not in given]
    if missing:
        raise ValueError(f"{model.__name__}: no values for {', '.join(missing)}")
    operations = connection.ops
    table = operations.quote_name(model._meta.db_table)
    columns = ", ".join(operations.quote_name(model_field.get_attname_column()[1] or "") for model_field in fields)
    if connection.vendor == "postgresql":
        # PostgreSQL's own bulk load: about four times faster than INSERTs, whose parameters
        # Django's psycopg cursor binds on the client. psycopg adapts the Python values itself.
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    adapters: list[Callable[[Any], Any] | None] = []
    for model_field in fields:
        if isinstance(model_field, DateTimeField):
            adapters.append(operations.adapt_datetimefield_value)
        elif isinstance(model_field, DateField):
            adapters.append(operations.adapt_datefield_value)
        elif isinstance(model_field, DecimalField):
            adapters.append(operations.adapt_decimalfield_value)
        else:
            adapters.append(None)
    row_placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = connection.features.max_query_params
    batch_size = min(INSERT_ROWS_PER_STATEMENT, limit // len(fields)) if limit else INSERT_ROWS_PER_STATEMENT
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            parameters: list[Any] = [
                value if adapt is None or value is None else adapt(value)
                for row in batch
                for value, adapt in zip(row, adapters, strict=True)
            ]
            # Identifiers come from the model's own meta, quoted by the backend; values are parameters.
            values = ", ".join([row_placeholder] * len(batch))
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", parameters)  # noqa: S608


@contextmanager
def sqlite_page_cache() -> Iterator[None]:
    """A larger SQLite page cache while importing: inserts into the random 64-character import_key
    index thrash the 2 MB default (measured: 100,000 time entries twice as fast with 64 MB)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
