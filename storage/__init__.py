"""All SQL lives here. Repositories take a :class:`Database` and return dataclasses."""

from storage.database import Database, StorageError, Transaction

__all__ = ["Database", "StorageError", "Transaction"]
