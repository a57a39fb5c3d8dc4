"""The editable team glossary, suggestions and named tokens, kept in a database.

SQLite (a file, WAL) by default; PostgreSQL when TERMLIGHT_DATABASE_URL names one, so
several hosts serve one team. Plain SQL through the standard sqlite3 module and
psycopg 3; the schema is migrated when a server or a command opens the database.
"""

from termlight.store.database import Database, StoreError, open_database

__all__ = ["Database", "StoreError", "open_database"]
