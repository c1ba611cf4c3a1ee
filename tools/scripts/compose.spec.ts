import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  SERVICE_SCHEMAS,
  type ServiceSchema,
  isServiceSchema,
  serviceRole,
} from '@smartship/persistence';
import { loadConfig } from '@smartship/service-kit';
import { parse } from 'yaml';

import { CredentialsConfig } from '../../apps/credentials/src/config';
import { FulfillmentConfig } from '../../apps/fulfillment/src/config';
import { GatewayConfig } from '../../apps/gateway/src/config';
import { IngestionConfig } from '../../apps/ingestion/src/config';
import { MappingConfig } from '../../apps/mapping/src/config';
import { NotificationsConfig } from '../../apps/notifications/src/config';
import { SimulatorConfig } from '../../apps/rakuten-sim/src/config';
import { composeSecrets } from './compose-env';

/*
 * No Docker engine exists on the project's machines, so docker-compose.yml is checked by reading
 * it: each service's environment, interpolated as `docker compose --env-file .compose.env` would
 * with what `npm run compose:env` generates, must pass that service's own config validation (the
 * services exit at boot otherwise); no port is published beyond 127.0.0.1; every container has a
 * health check, and the services start after what they need is healthy.
 */

const CONFIGS: Record<string, new () => object> = {
  credentials: CredentialsConfig,
  ingestion: IngestionConfig,
  mapping: MappingConfig,
  fulfillment: FulfillmentConfig,
  notifications: NotificationsConfig,
  gateway: GatewayConfig,
  'rakuten-sim': SimulatorConfig,
};

interface ComposeService {
  build?: { args?: { APP?: string } };
  command?: string[];
  restart?: string;
  environment?: Record<string, string | number>;
  ports?: string[];
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
}

/** Compose's variable interpolation: ${NAME}, ${NAME:-default}, ${NAME:?error}, $$. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(
    /\$\$|\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}/g,
    (whole, name?: string, op?: string, arg?: string) => {
      if (whole === '$$') return '$';
      const value = env[name as string];
      const unset = value === undefined || (op?.startsWith(':') && value === '');
      if (!unset) return value;
      if (op?.endsWith('?')) throw new Error(`compose: ${name} is required: ${arg}`);
      if (op?.endsWith('-')) return arg ?? '';
      return '';
    },
  );
}

function loadCompose(env: Record<string, string>): Record<string, ComposeService> {
  const text = readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8');
  const parsed = parse(interpolate(text, env), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  return parsed.services;
}

const secrets = composeSecrets();
const services = loadCompose(secrets);
const apps = Object.entries(services).filter(
  ([, service]) => (service.build?.args?.APP ?? '') in CONFIGS,
);

describe('docker-compose.yml', () => {
  it('runs every app, each with an environment its config accepts', () => {
    expect(apps.map(([name]) => name).sort()).toEqual(Object.keys(CONFIGS).sort());
    for (const [name, service] of apps) {
      expect([name, service.build?.args?.APP]).toEqual([name, name]);
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [key, String(value)]),
      );
      expect(() => loadConfig(name, CONFIGS[name], env)).not.toThrow();
    }
  });

  it('refuses to start without the generated secrets, naming how to make them', () => {
    expect(() => loadCompose({})).toThrow(/[A-Z_]+ is required: run npm run compose:env/);
  });

  it('runs production services with the internal call key, https to Rakuten and no simulator', () => {
    for (const [name, service] of apps.filter(([name]) => name !== 'rakuten-sim')) {
      const env = service.environment ?? {};
      expect([name, env.NODE_ENV, env.INTERNAL_CALL_KEY]).toEqual([
        name,
        'production',
        secrets.INTERNAL_CALL_KEY,
      ]);
      if ('RAKUTEN_BASE_URL' in env) expect(String(env.RAKUTEN_BASE_URL)).toMatch(/^https:\/\//);
    }
    expect(services['rakuten-sim'].profiles).toEqual(['demo']);
  });

  it('connects each service as its own database role, which db-setup makes with that password', () => {
    const setup = services['db-setup'];
    expect(setup.command?.slice(0, 2)).toEqual(['node', 'tools/scripts/prepare-db.mts']);
    // db-setup alone has the administrator's password.
    expect(setup.command?.[2]).toContain(`:${secrets.POSTGRES_PASSWORD}@`);
    for (const [name, service] of apps.filter(([name]) => name !== 'rakuten-sim')) {
      const url = new URL(String(service.environment?.DATABASE_URL));
      const variable = `DB_PASSWORD_${name.toUpperCase()}`;
      expect([name, url.username, url.password]).toEqual([
        name,
        serviceRole(name as ServiceSchema),
        secrets[variable],
      ]);
      expect([name, setup.environment?.[variable]]).toEqual([name, secrets[variable]]);
      expect(JSON.stringify(service.environment)).not.toContain(secrets.POSTGRES_PASSWORD);
    }
    expect(
      apps
        .filter(([name]) => isServiceSchema(name))
        .map(([name]) => name)
        .sort(),
    ).toEqual([...SERVICE_SCHEMAS].sort());
  });

  it('publishes ports on 127.0.0.1 only', () => {
    const published = Object.entries(services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => [name, port]),
    );
    expect(published.length).toBeGreaterThan(0);
    for (const [name, port] of published)
      expect([name, port]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/)]);
  });

  it('has a health check on every long-running container, and starts each after what it needs', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.restart === 'no') continue; // a one-shot job (db-setup)
      expect([name, Array.isArray(service.healthcheck?.test)]).toEqual([name, true]);
    }
    for (const [name, service] of apps.filter(([name]) => name !== 'rakuten-sim')) {
      const after = service.depends_on ?? {};
      expect([name, after['db-setup']?.condition, after.kafka?.condition]).toEqual([
        name,
        'service_completed_successfully',
        'service_healthy',
      ]);
    }
    expect(services['db-setup'].depends_on?.postgres?.condition).toBe('service_healthy');
    const gateway = services.gateway.depends_on ?? {};
    for (const called of ['credentials', 'ingestion', 'mapping', 'fulfillment', 'notifications']) {
      expect([called, gateway[called]?.condition]).toEqual([called, 'service_healthy']);
      // The gateway reaches each service where that service listens.
      const port = String(services[called].environment?.TCP_PORT);
      expect(Object.values(services.gateway.environment ?? {})).toContain(`${called}:${port}`);
    }
  });
});
