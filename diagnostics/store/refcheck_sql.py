"""Set-based reference checks on PostgreSQL (migration 0014): ``indicator_values`` without row-by-row keys.

A compute run of a 300-school province writes 1.3 million indicator values.  Their two foreign keys
(``run_id`` → ``compute_runs``, ``data_version_id`` → ``data_versions``) were checked by PostgreSQL once
per row — a lookup and a row lock in the parent for each value: 26.6 s to insert a run's values with them
against 11.7 s without (psql, ``INSERT … SELECT`` of ten 30-school runs).  The values of one run point at
one run and at a few thousand data versions, so the same guarantee is kept here once per statement:

* on the child (``AFTER INSERT`` / ``AFTER UPDATE … FOR EACH STATEMENT``, with the statement's new rows
  as a transition table): every distinct key the statement wrote must exist in the parent; the parent
  rows are locked ``FOR KEY SHARE``, as the row-by-row check locks them, so a concurrent transaction
  cannot delete them before this one commits;
* on the parent (``AFTER DELETE`` / ``AFTER UPDATE``): a key that disappears must not be referenced;
  ``BEFORE TRUNCATE`` refuses while the child holds rows (as PostgreSQL refuses to truncate a table a
  foreign key points at).

A violation raises SQLSTATE 23503 (``foreign_key_violation``) with PostgreSQL's own wording, so callers see
the same ``IntegrityError`` as before.  The functions are ``SECURITY DEFINER`` (the store's owner): like
PostgreSQL's own key checks they see the parent rows whatever the row-level security of the writing role.
SQLite keeps its declared foreign keys (checked inline there, at no such cost).
"""

from __future__ import annotations

#: (child table, child column, parent table, parent key): the keys checked a statement at a time.
SET_CHECKED = (("indicator_values", "run_id", "compute_runs", "id"),
               ("indicator_values", "data_version_id", "data_versions", "id"))

FUNCTIONS = """
CREATE OR REPLACE FUNCTION zhengai_refs_exist() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
-- TG_ARGV: child column, parent table, parent key; the statement's rows are the transition table zhengai_new
DECLARE
  key_name text := regexp_replace(TG_NAME, '_(ins|upd)$', '');
  wanted bigint;
  found bigint;
  missing text;
BEGIN
  EXECUTE format('SELECT count(DISTINCT %1$I) FROM zhengai_new', TG_ARGV[0]) INTO wanted;
  IF wanted = 0 THEN
    RETURN NULL;
  END IF;
  EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %2$I p WHERE p.%3$I IN '
                 '(SELECT DISTINCT n.%1$I FROM zhengai_new n) FOR KEY SHARE OF p) AS locked',
                 TG_ARGV[0], TG_ARGV[1], TG_ARGV[2]) INTO found;
  IF found < wanted THEN
    EXECUTE format('SELECT min(n.%1$I)::text FROM zhengai_new n WHERE n.%1$I IS NOT NULL AND NOT EXISTS '
                   '(SELECT 1 FROM %2$I p WHERE p.%3$I = n.%1$I)', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2])
      INTO missing;
    RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, key_name
      USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, CONSTRAINT = key_name,
            DETAIL = format('Key (%s)=(%s) is not present in table "%s".', TG_ARGV[0], missing, TG_ARGV[1]);
  END IF;
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION zhengai_refs_unused() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
-- TG_ARGV: parent key, child table, child column; the statement's old rows are zhengai_old (and, for an
-- update, its new rows zhengai_new): a key that is gone must not be referenced.
DECLARE
  key_name text := regexp_replace(TG_NAME, '_(del|upd|trunc)$', '');
  used text;
  gone text := '';  -- for an update: only the old keys no longer present
  vanished bigint;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    EXECUTE format('SELECT %1$I::text FROM %2$I LIMIT 1', TG_ARGV[2], TG_ARGV[1]) INTO used;
    IF used IS NOT NULL THEN
      RAISE EXCEPTION 'cannot truncate a table referenced in a foreign key constraint'
        USING ERRCODE = 'feature_not_supported',
              DETAIL = format('Table "%s" references "%s".', TG_ARGV[1], TG_TABLE_NAME);
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN  -- most updates keep every key (is_current, finished_at): no look at the child then
    gone := format('NOT EXISTS (SELECT 1 FROM zhengai_new n WHERE n.%1$I = o.%1$I) AND ', TG_ARGV[0]);
    EXECUTE format('SELECT count(*) FROM zhengai_old o WHERE %s true', gone) INTO vanished;
    IF vanished = 0 THEN
      RETURN NULL;
    END IF;
  END IF;
  EXECUTE format('SELECT min(o.%1$I)::text FROM zhengai_old o WHERE %4$s EXISTS '
                 '(SELECT 1 FROM %2$I c WHERE c.%3$I = o.%1$I)', TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], gone)
    INTO used;
  IF used IS NOT NULL THEN
    RAISE EXCEPTION 'update or delete on table "%" violates foreign key constraint "%" on table "%"',
                    TG_TABLE_NAME, key_name, TG_ARGV[1]
      USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, CONSTRAINT = key_name,
            DETAIL = format('Key (%s)=(%s) is still referenced from table "%s".', TG_ARGV[0], used, TG_ARGV[1]);
  END IF;
  RETURN NULL;
END
$fn$;

REVOKE ALL ON FUNCTION zhengai_refs_exist() FROM PUBLIC;
REVOKE ALL ON FUNCTION zhengai_refs_unused() FROM PUBLIC;
"""


def _fk_name(child: str, column: str, parent: str) -> str:
    """The name the store's naming convention gives the foreign key (``schema.metadata``)."""
    return f"fk_{child}_{column}_{parent}"


def install(schema: str) -> list[str]:
    """The statements of migration 0014 for ``schema``: the two functions, then for each key of
    :data:`SET_CHECKED` its row-by-row foreign key dropped and its statement triggers created."""
    quoted = '"' + schema.replace('"', '""') + '"'
    statements = [FUNCTIONS.replace("{schema}", quoted)]
    for child, column, parent, key in SET_CHECKED:
        name = _fk_name(child, column, parent)
        child_args, parent_args = f"'{column}', '{parent}', '{key}'", f"'{key}', '{child}', '{column}'"
        statements.append(f"""
ALTER TABLE {child} DROP CONSTRAINT IF EXISTS {name};
CREATE TRIGGER {name}_ins AFTER INSERT ON {child} REFERENCING NEW TABLE AS zhengai_new
  FOR EACH STATEMENT EXECUTE FUNCTION zhengai_refs_exist({child_args});
CREATE TRIGGER {name}_upd AFTER UPDATE ON {child} REFERENCING NEW TABLE AS zhengai_new
  FOR EACH STATEMENT EXECUTE FUNCTION zhengai_refs_exist({child_args});
CREATE TRIGGER {name}_del AFTER DELETE ON {parent} REFERENCING OLD TABLE AS zhengai_old
  FOR EACH STATEMENT EXECUTE FUNCTION zhengai_refs_unused({parent_args});
CREATE TRIGGER {name}_upd AFTER UPDATE ON {parent} REFERENCING OLD TABLE AS zhengai_old NEW TABLE AS zhengai_new
  FOR EACH STATEMENT EXECUTE FUNCTION zhengai_refs_unused({parent_args});
CREATE TRIGGER {name}_trunc BEFORE TRUNCATE ON {parent}
  FOR EACH STATEMENT EXECUTE FUNCTION zhengai_refs_unused({parent_args});
""")
    return statements


def uninstall() -> list[str]:
    """The statements undoing :func:`install`: triggers and functions dropped, the foreign keys back."""
    statements = []
    for child, column, parent, key in SET_CHECKED:
        name = _fk_name(child, column, parent)
        statements.append(f"""
DROP TRIGGER IF EXISTS {name}_ins ON {child};
DROP TRIGGER IF EXISTS {name}_upd ON {child};
DROP TRIGGER IF EXISTS {name}_del ON {parent};
DROP TRIGGER IF EXISTS {name}_upd ON {parent};
DROP TRIGGER IF EXISTS {name}_trunc ON {parent};
ALTER TABLE {child} ADD CONSTRAINT {name} FOREIGN KEY ({column}) REFERENCES {parent} ({key});
""")
    statements.append("DROP FUNCTION IF EXISTS zhengai_refs_exist();\nDROP FUNCTION IF EXISTS zhengai_refs_unused();")
    return statements
