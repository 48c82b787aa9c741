"""SQLite for the test suite: Django's backend, with a flush that empties the organisations first.

The audit log refuses DELETE of unexpired rows in the database itself, except when no organisation
exists any more (core migration 0007). Django's flush (after every transactional and live-server
test) deletes the tables in no fixed order, so it empties core_organisation first; the rows it
deletes are the test's own and the foreign keys are checked at commit, when every table is empty.
"""

from django.db.backends.sqlite3 import base, operations

ORGANISATIONS_DELETE = 'DELETE FROM "core_organisation";'


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return sorted(statements, key=lambda statement: statement != ORGANISATIONS_DELETE)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
