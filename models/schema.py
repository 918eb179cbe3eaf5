"""Imports every table module, so that Base.metadata and the repository registries are complete.

A feature with its own tables adds its module here (its revision goes in migrations/versions with
down_revision "0002" or a later one of its own line; several heads are fine).
"""

from models import (
    info_repository,  # noqa: F401
    raw_repository,  # noqa: F401
    tables,  # noqa: F401
    tables_false_positives,  # noqa: F401
    tables_mapping,  # noqa: F401
    tables_measurement,  # noqa: F401
    tables_penalties,  # noqa: F401
    tables_questionnaires,  # noqa: F401
    tables_raw,  # noqa: F401
    tables_results,  # noqa: F401
    tables_reviews,  # noqa: F401
)
