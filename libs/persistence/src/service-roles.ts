/*
 * A database role per service. Each service's role owns its schema (it runs its migrations and
 * its queries as that role) and has no right on any other schema: mapping's role cannot read
 * credentials' key ciphertexts or the gateway's token hashes. The Rakuten rate limiter's schema,
 * shared by credentials and ingestion (both call Rakuten under the same per-key limits), belongs
 * to a group role only those two are members of.
 *
 * provisionServiceRoles (run by an administrator: tools/scripts/prepare-db.mts, the compose
 * deployment's init script) creates the roles and schemas and hands every object already in a
 * schema to its role; adoptSchemaObjects (run by a service after its migrations) does the same
 * for what a superuser created, so a database used by both superuser tests and role-based
 * services stays consistent.
 */

/** The services with a schema of their own (the schema is named after the service). */
export const SERVICE_SCHEMAS = [
  'gateway',
  'credentials',
  'ingestion',
  'mapping',
  'fulfillment',
  'notifications',
] as const;

export type ServiceSchema = (typeof SERVICE_SCHEMAS)[number];

/** Schemas shared by a few services, owned by a group role of those. */
export const SHARED_SCHEMAS: Record<string, readonly ServiceSchema[]> = {
  rakuten_limiter: ['credentials', 'ingestion'],
};

/** The login role of a service. */
export function serviceRole(service: ServiceSchema): string {
  return `smartship_${service}`;
}

/** The (login-less) group role that owns a shared schema. */
export function sharedSchemaRole(schema: string): string {
  return `smartship_${schema}_owner`;
}

export function isServiceSchema(name: string): name is ServiceSchema {
  return (SERVICE_SCHEMAS as readonly string[]).includes(name);
}

/** The database URL of a service: the administrator's URL with the service's role (and password). */
export function serviceDatabaseUrl(url: string, service: ServiceSchema, password?: string): string {
  const parsed = new URL(url);
  parsed.username = serviceRole(service);
  parsed.password = password ?? '';
  return parsed.toString();
}

interface Sql {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Creates (or updates) the role of each service, with CONNECT on the database, its schema owned
 * by it, and the shared schemas owned by their group roles; objects already in those schemas are
 * handed to their owner. Idempotent; needs a superuser (or CREATEROLE and the database's owner).
 * `passwords` by service; without one a role has no password (trust or peer authentication).
 */
export async function provisionServiceRoles(
  db: Sql,
  database: string,
  passwords: Partial<Record<ServiceSchema, string>> = {},
): Promise<void> {
  for (const service of SERVICE_SCHEMAS) {
    const role = serviceRole(service);
    await ensureRole(db, role, true);
    const password = passwords[service];
    await db.query(
      `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ${
        password ? `PASSWORD ${literal(password)}` : 'PASSWORD NULL'
      }`,
    );
    await db.query(`GRANT CONNECT ON DATABASE ${ident(database)} TO ${role}`);
    await ownSchema(db, service, role);
  }
  for (const [schema, members] of Object.entries(SHARED_SCHEMAS)) {
    const owner = sharedSchemaRole(schema);
    await ensureRole(db, owner, false);
    for (const member of members) await db.query(`GRANT ${owner} TO ${serviceRole(member)}`);
    await ownSchema(db, schema, owner);
  }
  // Nobody but the roles granted above connects to the database or creates in public.
  await db.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${ident(database)} FROM PUBLIC`);
  await db.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
}

/**
 * Hands every table, sequence and function of the schema that its owner does not own to the
 * schema's owner. Run by a service after its migrations: when it ran them as a superuser (the
 * integration tests do), what they created would otherwise stay the superuser's.
 */
export async function adoptSchemaObjects(db: Sql, schema: string): Promise<void> {
  await db.query(
    `DO $adopt$
     DECLARE
       owner name;
       item record;
     BEGIN
       SELECT nspowner::regrole::name INTO owner FROM pg_namespace WHERE nspname = ${literal(schema)};
       IF owner IS NULL OR owner = current_user OR NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
         RETURN;
       END IF;
       FOR item IN
         SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = ${literal(schema)} AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
            AND c.relowner::regrole::name <> owner
            AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
       LOOP
         EXECUTE format('ALTER %s %I.%I OWNER TO %I',
           CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
             WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
           ${literal(schema)}, item.relname, owner);
       END LOOP;
       FOR item IN
         SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname = ${literal(schema)} AND p.proowner::regrole::name <> owner
       LOOP
         EXECUTE format('ALTER ROUTINE %s OWNER TO %I', item.signature, owner);
       END LOOP;
     END
     $adopt$`,
  );
}

async function ensureRole(db: Sql, role: string, login: boolean): Promise<void> {
  await db.query(
    `DO $role$ BEGIN
       IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${literal(role)}) THEN
         CREATE ROLE ${role} ${login ? 'LOGIN' : 'NOLOGIN'};
       END IF;
     END $role$`,
  );
}

async function ownSchema(db: Sql, schema: string, role: string): Promise<void> {
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)} AUTHORIZATION ${role}`);
  await db.query(`ALTER SCHEMA ${ident(schema)} OWNER TO ${role}`);
  await db.query(`REVOKE ALL ON SCHEMA ${ident(schema)} FROM PUBLIC`);
  await adoptSchemaObjects(db, schema);
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain identifier: ${name}`);
  return name;
}

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
