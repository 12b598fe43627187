"""The status-data store: schema, engine, migrations, versioned writes."""

from .db import default_url, ensure_current, home, init_db, make_engine
from .schema import DATA_TABLES, data_versions, import_batches, metadata, schools

__all__ = ["default_url", "ensure_current", "home", "init_db", "make_engine",
           "DATA_TABLES", "data_versions", "import_batches", "metadata", "schools"]
