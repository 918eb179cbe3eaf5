"""Imports every table module, so that Base.metadata and the repository registries are complete.

A feature with its own tables adds its module here (its revision goes in migrations/versions with
down_revision "0002" or a later one of its own line; several heads are fine).
"""

from models import tables  # noqa: F401
