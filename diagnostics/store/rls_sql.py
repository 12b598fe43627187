"""The SQL of least privilege on PostgreSQL (migration 0009): the scope functions and row-level security.

Who a connection is: ``current_user``, a database role that only PostgreSQL's authentication (or a
``SET ROLE`` to a role the login is a member of) can make it — never a setting the session can change.
``db_roles`` maps each login role made by ``zhengai db grant`` to its zhengai user; the user's scope
(``users``, ``user_schools``, ``schools.city``) is read by two ``SECURITY DEFINER`` functions, which
answer only for roles the session's login holds (``pg_has_role(session_user, …)``), so nobody can ask
for another role's scope.

:data:`APPLY_RLS` enumerates every table of the schema that has a ``school_id`` column (tables added by
later migrations included) and gives it the policy ``zhengai_scope``; a table without ``school_id`` whose
foreign key points at such a table (``follow_up_comments`` → ``follow_ups``) is scoped through its
parent.  ``zhengai init`` and ``zhengai db grant`` run it again after every migration.
"""

from __future__ import annotations

SCOPE_FUNCTIONS = """
CREATE OR REPLACE FUNCTION zhengai_scope(role_name text) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
  SELECT CASE WHEN NOT pg_has_role(session_user, $1, 'MEMBER') THEN ARRAY[]::text[] ELSE
    COALESCE((SELECT array_agg(DISTINCT q.school_id) FROM (
        SELECT u.school_id FROM db_roles r JOIN users u ON u.user_name = r.user_name
         WHERE r.role_name = $1 AND u.active AND u.role = 'school'
        UNION ALL
        SELECT s.school_id FROM db_roles r JOIN users u ON u.user_name = r.user_name
          JOIN schools s ON s.city = u.city
         WHERE r.role_name = $1 AND u.active AND u.role = 'city'
        UNION ALL
        SELECT us.school_id FROM db_roles r JOIN users u ON u.user_name = r.user_name
          JOIN user_schools us ON us.user_name = u.user_name
         WHERE r.role_name = $1 AND u.active AND u.role = 'expert') q
      WHERE q.school_id IS NOT NULL), ARRAY[]::text[]) END
$fn$;

CREATE OR REPLACE FUNCTION zhengai_sees_all(role_name text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
  SELECT pg_has_role(session_user, $1, 'MEMBER') AND EXISTS (
    SELECT 1 FROM db_roles r JOIN users u ON u.user_name = r.user_name
     WHERE r.role_name = $1 AND u.active AND u.role = 'province')
$fn$;

CREATE OR REPLACE FUNCTION zhengai_user_name(role_name text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
  SELECT r.user_name::text FROM db_roles r WHERE r.role_name = $1 AND pg_has_role(session_user, $1, 'MEMBER')
$fn$;

REVOKE ALL ON FUNCTION zhengai_scope(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION zhengai_sees_all(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION zhengai_user_name(text) FROM PUBLIC;
"""

# evaluated once per statement (the sub-selects become init plans), not once per row
IN_SCOPE = ("(SELECT zhengai_sees_all(current_user::text)) "
            "OR school_id::text = ANY ((SELECT zhengai_scope(current_user::text))::text[])")

APPLY_RLS = """
CREATE OR REPLACE FUNCTION zhengai_apply_rls() RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
  t record;
  n integer := 0;
BEGIN
  FOR t IN
    SELECT c.relname FROM pg_class c
      JOIN pg_namespace ns ON ns.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped
     WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'p')
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.relname);
    EXECUTE format('DROP POLICY IF EXISTS zhengai_scope ON %I', t.relname);
    EXECUTE format('CREATE POLICY zhengai_scope ON %I FOR ALL USING ({in_scope}) WITH CHECK ({in_scope})',
                   t.relname);
    n := n + 1;
  END LOOP;
  FOR t IN
    SELECT c.relname AS child, a.attname AS col, p.relname AS parent, pa.attname AS pcol
      FROM pg_constraint k
      JOIN pg_class c ON c.oid = k.conrelid
      JOIN pg_namespace ns ON ns.oid = c.relnamespace
      JOIN pg_class p ON p.oid = k.confrelid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
      JOIN pg_attribute pa ON pa.attrelid = p.oid AND pa.attnum = k.confkey[1]
     WHERE k.contype = 'f' AND ns.nspname = current_schema() AND cardinality(k.conkey) = 1
       AND NOT EXISTS (SELECT 1 FROM pg_attribute x WHERE x.attrelid = c.oid AND x.attname = 'school_id'
                          AND NOT x.attisdropped)
       AND EXISTS (SELECT 1 FROM pg_attribute x WHERE x.attrelid = p.oid AND x.attname = 'school_id'
                      AND NOT x.attisdropped)
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.child);
    EXECUTE format('DROP POLICY IF EXISTS zhengai_scope ON %I', t.child);
    EXECUTE format('CREATE POLICY zhengai_scope ON %1$I FOR ALL '
                   'USING (EXISTS (SELECT 1 FROM %3$I p WHERE p.%4$I = %1$I.%2$I)) '
                   'WITH CHECK (EXISTS (SELECT 1 FROM %3$I p WHERE p.%4$I = %1$I.%2$I))',
                   t.child, t.col, t.parent, t.pcol);
    n := n + 1;
  END LOOP;
  -- everyone reads their own user row (the apps resolve who they are), whatever its school
  IF to_regclass(format('%I.users', current_schema())) IS NOT NULL THEN
    EXECUTE 'DROP POLICY IF EXISTS zhengai_self ON users';
    EXECUTE 'CREATE POLICY zhengai_self ON users FOR SELECT '
            'USING (user_name = (SELECT zhengai_user_name(current_user::text)))';
  END IF;
  RETURN n;
END
$fn$;

REVOKE ALL ON FUNCTION zhengai_apply_rls() FROM PUBLIC;
""".replace("{in_scope}", IN_SCOPE.replace("'", "''"))

# Import batches have no school: a batch is seen by the province, by whoever made it, and by those who see
# one of the school-years or schools it wrote (the sub-selects run under those tables' own policies).
BATCH_POLICY = """
ALTER TABLE import_batches ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS zhengai_scope ON import_batches;
CREATE POLICY zhengai_scope ON import_batches FOR ALL
  USING ((SELECT zhengai_sees_all(current_user::text))
         OR imported_by = (SELECT zhengai_user_name(current_user::text))
         OR EXISTS (SELECT 1 FROM data_versions v WHERE v.batch_id = import_batches.id)
         OR EXISTS (SELECT 1 FROM schools s WHERE s.batch_id = import_batches.id))
  WITH CHECK ((SELECT zhengai_sees_all(current_user::text))
              OR imported_by = (SELECT zhengai_user_name(current_user::text)));
"""
BATCH_POLICY_DROP = """
DROP POLICY IF EXISTS zhengai_scope ON import_batches;
ALTER TABLE import_batches DISABLE ROW LEVEL SECURITY;
"""

#: PostgreSQL-only bookkeeping of ``zhengai db grant`` (made by migration 0009, not in the metadata):
#: which login role is which user, and the salt of the peers' opaque keys; no import or workflow writes them
PRIVILEGE_TABLES = ("db_roles", "db_peer_salt")

ROLES_TABLE = """
CREATE TABLE IF NOT EXISTS db_roles (
  role_name varchar(63) PRIMARY KEY,
  user_name varchar(200) NOT NULL UNIQUE,
  kind varchar(16) NOT NULL
);
REVOKE ALL ON db_roles FROM PUBLIC;
CREATE TABLE IF NOT EXISTS db_peer_salt (salt text NOT NULL);
INSERT INTO db_peer_salt SELECT md5(random()::text || clock_timestamp()::text) WHERE NOT EXISTS (SELECT 1 FROM db_peer_salt);
REVOKE ALL ON db_peer_salt FROM PUBLIC;
"""

# Peer values for a restricted role: every school's current values, but schools outside the scope under an
# opaque key, their category only where ≥ 5 schools share level and category, their city only for city
# and province officers, and none of a level of fewer than 5 schools (the rule of warnings/peers.py).
PEER_VALUES = """
CREATE OR REPLACE FUNCTION zhengai_peer_values(role_name text, p_layer text)
RETURNS TABLE (school_id text, year integer, layer text, unit text, indicator_id text, value double precision,
               numerator double precision, denominator double precision, n bigint, level text,
               school_level text, category text, city text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $fn$
  WITH me AS (
    SELECT pg_has_role(session_user, $1, 'MEMBER') AS ok, zhengai_sees_all($1) AS sees_all,
           zhengai_scope($1) AS scope,
           EXISTS (SELECT 1 FROM db_roles r JOIN users u ON u.user_name = r.user_name
                    WHERE r.role_name = $1 AND u.active AND u.role = 'city') AS city_role),
  s AS (
    SELECT s.school_id, s.level, s.category, s.city,
           count(*) OVER (PARTITION BY s.level, s.category) AS n_category,
           count(*) OVER (PARTITION BY s.level) AS n_level
      FROM schools s),
  latest AS (
    SELECT c.school_id, c.year, max(c.run_id) AS run_id FROM computed_school_years c GROUP BY 1, 2)
  SELECT CASE WHEN me.sees_all OR s.school_id = ANY (me.scope) THEN s.school_id::text
              ELSE 'peer-' || left(md5(k.salt || s.school_id), 12) END,
         v.year, v.layer::text, v.unit::text, v.indicator_id::text, v.value, v.numerator, v.denominator, v.n,
         v.level::text, s.level::text,
         CASE WHEN me.sees_all OR s.n_category >= 5 THEN s.category::text END,
         CASE WHEN me.sees_all OR me.city_role OR s.school_id = ANY (me.scope) THEN s.city END
    FROM indicator_values v
    JOIN latest l ON l.run_id = v.run_id AND l.school_id = v.school_id AND l.year = v.year
    JOIN s ON s.school_id = v.school_id
    CROSS JOIN me CROSS JOIN (SELECT salt FROM db_peer_salt LIMIT 1) k
   WHERE me.ok AND ($2 IS NULL OR v.layer = $2)
     AND (me.sees_all OR s.school_id = ANY (me.scope) OR s.n_level >= 5)
$fn$;
REVOKE ALL ON FUNCTION zhengai_peer_values(text, text) FROM PUBLIC;
"""

DROP = """
DROP FUNCTION IF EXISTS zhengai_peer_values(text, text);
DROP TABLE IF EXISTS db_peer_salt;
DROP FUNCTION IF EXISTS zhengai_apply_rls();
DROP FUNCTION IF EXISTS zhengai_scope(text);
DROP FUNCTION IF EXISTS zhengai_sees_all(text);
DROP FUNCTION IF EXISTS zhengai_user_name(text);
DROP TABLE IF EXISTS db_roles;
"""


def install(schema: str) -> list[str]:
    """The statements of migration 0009 for ``schema`` (the schema holding the store's tables)."""
    quoted = '"' + schema.replace('"', '""') + '"'
    return [ROLES_TABLE, SCOPE_FUNCTIONS.replace("{schema}", quoted), APPLY_RLS,
            PEER_VALUES.replace("{schema}", quoted)]


def run_script(conn: object, sql: str) -> None:
    """Run ``sql`` (several statements, dollar-quoted bodies, ``%`` signs) on the DBAPI connection of ``conn``."""
    with conn.connection.dbapi_connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(sql)
