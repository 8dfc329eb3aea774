import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SERVICE_DEFAULTS as chatbotDefaults } from '@casebook/chatbot-api';
import { SERVICE_DEFAULTS as moderationDefaults } from '@casebook/moderation-service';
import { SERVICE_DEFAULTS as queryDefaults } from '@casebook/query-service';
import { parseDocument } from 'yaml';

// The compose stack, the Prometheus config and the code must agree on ports, databases and metric names.
// Nothing here needs Docker: a drift between these files is caught by `pnpm test`, not by the first `compose up`.

const ROOT = path.resolve(__dirname, '../..');
const INFRA = path.join(ROOT, 'infra');

// Parsed YAML is untyped by nature; the assertions below are what checks its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Yaml = Record<string, any>;

function readYaml(file: string): Yaml {
  // `merge: true`: compose.yaml shares environment and depends_on blocks through `<<:` merge keys, as compose does.
  const doc = parseDocument(readFileSync(file, 'utf8'), { merge: true });
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS() as Yaml;
}

const compose = readYaml(path.join(INFRA, 'compose.yaml'));
const services: Record<string, Yaml> = compose.services ?? {};
const prometheus = readYaml(path.join(INFRA, 'prometheus/prometheus.yml'));
const alerts = readYaml(path.join(INFRA, 'prometheus/alerts.yml'));

interface PortMapping {
  hostIp?: string;
  published: number;
  target: number;
}

/** Both compose syntaxes: `[ip:]published:target[/proto]` and `{ target, published, host_ip }`. */
function portsOf(service: Yaml): PortMapping[] {
  return (service.ports ?? []).map((entry: string | number | Yaml) => {
    if (typeof entry === 'object') {
      return { hostIp: entry.host_ip, published: Number(entry.published), target: Number(entry.target) };
    }
    const parts = String(entry)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = Number(parts.pop());
    const published = parts.length > 0 ? Number(parts.pop()) : target;
    return { hostIp: parts.pop(), published, target };
  });
}

function environmentOf(service: Yaml): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((line: string) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)]));
}

function dependsOn(service: Yaml): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((name: string) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([name, spec]) => [name, (spec as Yaml).condition]));
}

function commandOf(service: Yaml): string[] {
  return Array.isArray(service.command) ? service.command : String(service.command ?? '').split(/\s+/);
}

/** `node services/x/dist/cli/migrate.js` runs what tsc compiles from `services/x/src/cli/migrate.ts`. */
function sourceOfDistEntry(entry: string): string {
  return entry.replace(/\/dist\//, '/src/').replace(/\.js$/, '.ts');
}

interface Mount {
  source: string;
  target: string;
  bind: boolean;
}

function mountsOf(service: Yaml): Mount[] {
  return (service.volumes ?? []).map((entry: string | Yaml) => {
    if (typeof entry === 'object') {
      return { source: entry.source, target: entry.target, bind: entry.type === 'bind' };
    }
    const [source, target] = entry.split(':');
    return { source, target, bind: /^[./~]/.test(source) };
  });
}

/** Which repo file a container path is mounted from, following directory mounts too. */
function hostPathOf(serviceName: string, containerPath: string): string | undefined {
  for (const mount of mountsOf(services[serviceName] ?? {}).filter((m) => m.bind)) {
    if (containerPath === mount.target || containerPath.startsWith(`${mount.target}/`)) {
      return path.join(INFRA, mount.source, containerPath.slice(mount.target.length));
    }
  }
  return undefined;
}

const CASEBOOK_SERVICES = [
  { name: 'chatbot-api', defaults: chatbotDefaults },
  { name: 'query-service', defaults: queryDefaults },
  { name: 'moderation-service', defaults: moderationDefaults },
];

const EXPECTED_ALERTS = [
  'CasebookHigh5xxRatio',
  'ChatbotApiP95LatencyHigh',
  'ModerationServiceP95LatencyHigh',
  'CasebookServiceNotReady',
  'CasebookScrapeDown',
];

function alertRules(): Yaml[] {
  return (alerts.groups ?? []).flatMap((group: Yaml) => group.rules ?? []).filter((rule: Yaml) => rule.alert);
}

describe('infra/compose.yaml', () => {
  it('When the compose file is parsed, then every piece of the platform is a service', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'redis',
        'chatbot-api',
        'chatbot-worker',
        'query-service',
        'moderation-service',
        'otel-collector',
        'jaeger',
        'prometheus',
        'grafana',
      ]),
    );
  });

  it('When the services are merged from shared blocks, then no `<<` merge key is left unresolved', () => {
    expect(JSON.stringify(services)).not.toContain('"<<"');
  });

  describe.each(CASEBOOK_SERVICES)('$name', ({ name, defaults }) => {
    const service = services[name] ?? {};
    const env = environmentOf(service);

    it('publishes the port the code listens on by default, on the same host port', () => {
      expect(portsOf(service)).toEqual([expect.objectContaining({ published: defaults.port, target: defaults.port })]);
      expect(env.PORT).toBe(String(defaults.port));
      // The service binds 127.0.0.1 unless told otherwise: unreachable from other containers.
      expect(env.HOST).toBe('0.0.0.0');
    });

    it('connects to its own database on the postgres service', () => {
      const url = new URL(env.DATABASE_URL);
      expect(url.hostname).toBe('postgres');
      expect(url.pathname).toBe(`/${defaults.database}`);
      expect(url.port || '5432').toBe('5432');
    });

    it('is healthy only when /health/ready answers on its own port', () => {
      const probe = (service.healthcheck?.test ?? []).join(' ');
      expect(probe).toContain(`http://127.0.0.1:${defaults.port}/health/ready`);
    });

    it('starts the entry point compiled from this service, after Postgres and Redis are healthy and its migrations ran', () => {
      const [binary, entry] = commandOf(service);
      expect(binary).toBe('node');
      expect(entry).toBe(`services/${name}/dist/main.js`);
      expect(existsSync(path.join(ROOT, sourceOfDistEntry(entry)))).toBe(true);

      const deps = dependsOn(service);
      expect(deps).toMatchObject({
        postgres: 'service_healthy',
        redis: 'service_healthy',
        [`${name}-migrate`]: 'service_completed_successfully',
      });
    });

    it('runs migrations against the same database, from a migration entry point that exists', () => {
      const migrate = services[`${name}-migrate`] ?? {};
      const [, entry] = commandOf(migrate);
      expect(entry).toBe(`services/${name}/dist/cli/migrate.js`);
      expect(existsSync(path.join(ROOT, sourceOfDistEntry(entry)))).toBe(true);
      expect(new URL(environmentOf(migrate).DATABASE_URL).pathname).toBe(`/${defaults.database}`);
    });

    it('exports traces to the collector over OTLP/HTTP', () => {
      const url = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT);
      expect(services[url.hostname]).toBeDefined();
      expect(url.port).toBe('4318');
      expect(url.hostname).toBe('otel-collector');
    });
  });

  it('When the worker runs, then it is chatbot-api code without a port, on the chatbot database', () => {
    const worker = services['chatbot-worker'] ?? {};
    const [binary, entry] = commandOf(worker);
    expect(binary).toBe('node');
    expect(entry).toBe('services/chatbot-api/dist/worker.js');
    expect(existsSync(path.join(ROOT, sourceOfDistEntry(entry)))).toBe(true);
    expect(portsOf(worker)).toEqual([]);
    expect(new URL(environmentOf(worker).DATABASE_URL).pathname).toBe(`/${chatbotDefaults.database}`);
    expect(dependsOn(worker)).toMatchObject({ postgres: 'service_healthy', redis: 'service_healthy' });
  });

  it('When Postgres starts on an empty volume, then init.sql creates every service database', () => {
    const mount = mountsOf(services.postgres).find((m) => m.target.startsWith('/docker-entrypoint-initdb.d/'));
    expect(mount?.source).toBe('./postgres/init.sql');
    const sql = readFileSync(path.join(INFRA, 'postgres/init.sql'), 'utf8');
    const created = [...sql.matchAll(/^\s*CREATE DATABASE\s+"?([a-z0-9_]+)"?/gim)].map((m) => m[1]);
    expect(created.sort()).toEqual(CASEBOOK_SERVICES.map((s) => s.defaults.database).sort());
  });

  it('When Redis starts, then it persists with an append-only file synced every second', () => {
    const command = commandOf(services.redis).join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--appendfsync everysec/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
  });

  it('When the stack is up, then no two services claim the same host port and Grafana sits on 3003', () => {
    const published = Object.values(services).flatMap((s) => portsOf(s).map((p) => p.published));
    expect(new Set(published).size).toBe(published.length);
    expect(portsOf(services.grafana)).toEqual([expect.objectContaining({ published: 3003, target: 3000 })]);
  });

  it('When compose mounts or builds from a path, then that path exists in the repo', () => {
    const missing: string[] = [];
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        const context = path.resolve(INFRA, service.build.context ?? '.');
        if (!existsSync(context)) missing.push(`${name}: build context ${service.build.context}`);
        const dockerfile = path.resolve(context, service.build.dockerfile ?? 'Dockerfile');
        if (!existsSync(dockerfile)) missing.push(`${name}: dockerfile ${service.build.dockerfile}`);
      }
      for (const file of [service.env_file ?? []].flat()) {
        if (!existsSync(path.resolve(INFRA, file))) missing.push(`${name}: env_file ${file}`);
      }
      for (const mount of mountsOf(service)) {
        if (mount.bind && !existsSync(path.resolve(INFRA, mount.source))) missing.push(`${name}: ${mount.source}`);
        if (!mount.bind && !(mount.source in (compose.volumes ?? {})))
          missing.push(`${name}: undeclared volume ${mount.source}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('When the image is built, then the Dockerfile installs from the lockfile and builds the workspace', () => {
    const dockerfile = readFileSync(path.join(INFRA, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
    expect(dockerfile).toMatch(/RUN pnpm build/);
    expect(existsSync(path.join(ROOT, 'pnpm-lock.yaml'))).toBe(true);
  });
});

describe('infra/prometheus', () => {
  const jobs: Yaml[] = prometheus.scrape_configs ?? [];
  const targetsOf = (job: Yaml | undefined): string[] =>
    (job?.static_configs ?? []).flatMap((config: Yaml) => config.targets ?? []);

  it.each(CASEBOOK_SERVICES)(
    'When Prometheus scrapes $name, then it uses the port the service listens on',
    ({ name, defaults }) => {
      const job = jobs.find((j) => j.job_name === name);
      expect(targetsOf(job)).toEqual([`${name}:${defaults.port}`]);
      expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    },
  );

  it('When readiness is probed, then each service is probed on its own port through a blackbox exporter that exists', () => {
    const job = jobs.find((j) => j.job_name === 'readiness');
    expect(targetsOf(job).sort()).toEqual(
      CASEBOOK_SERVICES.map(({ name, defaults }) => `http://${name}:${defaults.port}/health/ready`).sort(),
    );
    const address = (job?.relabel_configs ?? []).find((r: Yaml) => r.target_label === '__address__')?.replacement;
    expect(services[String(address).split(':')[0]]).toBeDefined();
    const blackbox = readYaml(path.join(INFRA, 'prometheus/blackbox.yml'));
    for (const module of job?.params?.module ?? []) {
      expect(blackbox.modules?.[module]?.http?.valid_status_codes).toEqual([200]);
    }
  });

  it('When Prometheus loads its rule files, then each is mounted from a file in the repo', () => {
    const ruleFiles: string[] = prometheus.rule_files ?? [];
    expect(ruleFiles.length).toBeGreaterThan(0);
    for (const file of ruleFiles) {
      const hostPath = hostPathOf('prometheus', file);
      expect(hostPath && existsSync(hostPath)).toBe(true);
    }
    expect(hostPathOf('prometheus', '/etc/prometheus/prometheus.yml')).toBe(
      path.join(INFRA, 'prometheus/prometheus.yml'),
    );
  });

  it('When alerts.yml is parsed, then the expected alerts exist, each with an expression, a duration, a severity and a summary', () => {
    const rules = alertRules();
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(EXPECTED_ALERTS));
    for (const rule of rules) {
      expect(typeof rule.expr).toBe('string');
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(rule.labels?.severity).toBeTruthy();
      expect(rule.annotations?.summary).toBeTruthy();
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('When the latency alerts fire, then they use the case-study targets (chatbot 500 ms, moderation 100 ms)', () => {
    const byName = Object.fromEntries(alertRules().map((r) => [r.alert, String(r.expr)]));
    expect(byName.ChatbotApiP95LatencyHigh).toMatch(/histogram_quantile\(\s*0\.95/);
    expect(byName.ChatbotApiP95LatencyHigh).toMatch(/service="chatbot-api"/);
    expect(byName.ChatbotApiP95LatencyHigh).toMatch(/\)\s*>\s*0\.5\s*$/);
    expect(byName.ModerationServiceP95LatencyHigh).toMatch(/service="moderation-service"/);
    expect(byName.ModerationServiceP95LatencyHigh).toMatch(/\)\s*>\s*0\.1\s*$/);
  });

  it('When an alert reads a metric, then the platform registers it (or Prometheus itself produces it)', () => {
    const source = readFileSync(path.join(ROOT, 'packages/platform/src/metrics/metrics.ts'), 'utf8');
    const registered = new Set([...source.matchAll(/name:\s*'([a-z_:][a-z0-9_:]*)'/g)].map((m) => m[1]));
    const builtIn = new Set(['up', 'probe_success']);
    const used = alertRules().flatMap((r) =>
      [...String(r.expr).matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1]),
    );
    expect(used.length).toBeGreaterThan(0);
    for (const metric of used) {
      const family = metric.replace(/_(bucket|sum|count)$/, '');
      expect({ metric, known: builtIn.has(metric) || registered.has(metric) || registered.has(family) }).toEqual({
        metric,
        known: true,
      });
    }
  });

  it('When the query-service adds its cache hit-ratio alert, then it has a named group waiting for it', () => {
    expect((alerts.groups ?? []).map((g: Yaml) => g.name)).toContain('casebook-query-cache');
  });
});

describe('infra tracing and dashboards', () => {
  it('When spans reach the collector on 4318, then its trace pipeline exports to the jaeger service', () => {
    const mounted = hostPathOf('otel-collector', '/etc/otelcol/config.yaml');
    expect(mounted).toBe(path.join(INFRA, 'otel-collector.yaml'));
    expect(commandOf(services['otel-collector']).join(' ')).toContain('--config=/etc/otelcol/config.yaml');

    const collector = readYaml(mounted!);
    expect(collector.receivers?.otlp?.protocols?.http?.endpoint).toMatch(/:4318$/);
    const pipeline = collector.service?.pipelines?.traces ?? {};
    expect(pipeline.receivers).toContain('otlp');
    const hosts = (pipeline.exporters ?? []).map(
      (name: string) => String(collector.exporters?.[name]?.endpoint).split(':')[0],
    );
    expect(hosts).toContain('jaeger');
    expect(services.jaeger).toBeDefined();
    expect(portsOf(services.jaeger).map((p) => p.target)).toContain(16686);
  });

  it('When Grafana starts, then it provisions the Prometheus service as datasource and a RED dashboard per service', () => {
    const datasourceFile = hostPathOf('grafana', '/etc/grafana/provisioning/datasources/prometheus.yml');
    const datasource = readYaml(datasourceFile!).datasources?.[0];
    expect(datasource?.type).toBe('prometheus');
    expect(new URL(datasource.url).hostname).toBe('prometheus');
    expect(new URL(datasource.url).port).toBe(String(portsOf(services.prometheus)[0]?.target));

    const provider = readYaml(hostPathOf('grafana', '/etc/grafana/provisioning/dashboards/casebook.yml')!)
      .providers?.[0];
    const dashboardDir = hostPathOf('grafana', provider?.options?.path);
    expect(dashboardDir && statSync(dashboardDir).isDirectory()).toBe(true);

    const dashboard = JSON.parse(readFileSync(path.join(dashboardDir!, 'casebook-red.json'), 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((p: Yaml) => (p.targets ?? []).map((t: Yaml) => t.expr));
    const datasourceUids = new Set(
      dashboard.panels.filter((p: Yaml) => p.datasource).map((p: Yaml) => p.datasource.uid),
    );
    expect([...datasourceUids]).toEqual([datasource.uid]);
    for (const { name } of CASEBOOK_SERVICES) {
      const ofService = exprs.filter((e) => e.includes(`service="${name}"`));
      expect(ofService.some((e) => e.includes('rate(http_requests_total'))).toBe(true);
      expect(ofService.some((e) => /status_code=~"5\.\."/.test(e))).toBe(true);
      expect(ofService.some((e) => e.includes('histogram_quantile(0.95'))).toBe(true);
    }
  });
});
