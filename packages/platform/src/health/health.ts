import { AuditExempt } from '../http/audit-exempt.decorator';
import { Controller, Get, Inject, Injectable, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/public.decorator';
import { withDeadline } from '../resilience';

/** One dependency a service needs to do its work. `check` rejects when it cannot be used. */
export interface HealthIndicator {
  readonly name: string;
  /** A degraded dependency is reported but does not make the service unready (e.g. a cache it can bypass). */
  readonly critical?: boolean;
  check(): Promise<void>;
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');
export const HEALTH_CHECK_TIMEOUT_MS = Symbol('HEALTH_CHECK_TIMEOUT_MS');

export interface ReadinessReport {
  status: 'ok' | 'degraded' | 'error';
  checks: Record<string, { status: 'up' | 'down'; critical: boolean; latencyMs: number; error?: string }>;
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[],
    @Inject(HEALTH_CHECK_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {}

  async readiness(): Promise<ReadinessReport> {
    const results = await Promise.all(
      this.indicators.map(async (indicator) => {
        const started = performance.now();
        const critical = indicator.critical ?? true;
        try {
          await withDeadline(() => indicator.check(), this.timeoutMs, indicator.name);
          return [
            indicator.name,
            { status: 'up' as const, critical, latencyMs: Math.round(performance.now() - started) },
          ] as const;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [
            indicator.name,
            { status: 'down' as const, critical, latencyMs: Math.round(performance.now() - started), error: message },
          ] as const;
        }
      }),
    );
    const checks: ReadinessReport['checks'] = Object.fromEntries(results);
    const down = Object.values(checks).filter((c) => c.status === 'down');
    const status = down.some((c) => c.critical) ? 'error' : down.length > 0 ? 'degraded' : 'ok';
    return { status, checks };
  }
}

@ApiExcludeController()
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** The process is up and its event loop turns. Never checks dependencies: a restart would not fix them. */
  @AuditExempt('liveness probe: no personal data')
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Whether this instance should receive traffic: 200 when every critical dependency answers, else 503. */
  @AuditExempt('readiness probe: dependency states, no personal data')
  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessReport> {
    const report = await this.health.readiness();
    if (report.status === 'error') {
      void reply.status(503).header('retry-after', '5');
    }
    return report;
  }
}
