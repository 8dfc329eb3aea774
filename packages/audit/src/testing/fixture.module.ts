import {
  Body,
  type CanActivate,
  Controller,
  type DynamicModule,
  type ExecutionContext,
  ForbiddenException,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Param,
  Post,
  Req,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  bestEffort,
  createPostgresDataSource,
  defineErrorCodes,
  type DestinationStream,
  PlatformModule,
  ProblemError,
  Public,
} from '@casebook/platform';
import { AuditRecorder } from '../capture/recorder';
import { auditMigrations } from '../migrations';
import { AuditModule } from '../nest/audit.module';
import { Audited } from '../nest/audited.decorator';
import { fromRequest, setAuditDenial } from '../nest/request-audit';
import type { FixtureConfig } from './config';

// The fixture stands in for @casebook/auth's sign-in and answers with its code.
const FixtureErrorCode = defineErrorCodes({ InvalidCredentials: ['AUTH_INVALID_CREDENTIALS', 401] });

/**
 * Stands in for the auth guard being built in @casebook/auth: the caller names itself in headers. Only
 * in this fixture; a service gets `request.principal` from verified tokens.
 */
@Injectable()
class HeaderPrincipalGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const id = request.headers['x-test-user'];
    if (typeof id === 'string' && id) {
      const roles = String(request.headers['x-test-roles'] ?? '')
        .split(',')
        .filter(Boolean);
      request.principal = { kind: 'user', id, roles, tokenId: String(request.headers['x-test-token-id'] ?? '') };
    }
    return true;
  }
}

@Public()
@Controller({ path: 'things', version: '1' })
class ThingsController {
  constructor(private readonly db: DataSource) {}

  /** A read that does what a real one does at least: one round trip to Postgres. */
  @Get(':id/stored')
  @Audited({ action: 'conversation.read', resource: { type: 'conversation', idParam: 'id' } })
  async readStored(@Param('id') id: string): Promise<{ id: string; title: string; readAt: string }> {
    const [row] = await this.db.query(`SELECT $1::text AS id, 'a thing' AS title, now()::text AS "readAt"`, [id]);
    return row;
  }

  @Get(':id')
  @Audited({ action: 'conversation.read', resource: { type: 'conversation', idParam: 'id' } })
  read(@Param('id') id: string): { id: string; title: string } {
    return { id, title: 'a thing' };
  }

  @Post()
  @HttpCode(201)
  @Audited({ action: 'conversation.created', resource: { type: 'conversation' } })
  create(): { id: string } {
    return { id: randomUUID() };
  }

  /** Not audited as a read; its denial is still recorded, with what the guard said. */
  @Get(':id/admin')
  admin(@Req() request: FastifyRequest): never {
    setAuditDenial(request, {
      permission: { action: 'manage', subject: 'Thing' },
      reason: `${request.headers['x-test-user'] as string} <bob@example.com> lacks manage Thing`,
    });
    throw new ForbiddenException();
  }

  @Get(':id/secret')
  @Audited({ action: 'conversation.read', resource: { type: 'conversation', idParam: 'id' } })
  forbidden(): never {
    throw new ForbiddenException();
  }
}

/** A sign-in that fails, recorded by hand the way the auth module records it. */
@Public()
@Controller({ path: 'sessions', version: '1' })
class SessionsController {
  constructor(private readonly recorder: AuditRecorder) {}

  @Post()
  async create(@Req() request: FastifyRequest, @Body() body: { email?: string; password?: string }): Promise<never> {
    await this.recorder.record({
      ...fromRequest(request),
      action: 'auth.sign_in.failed',
      outcome: 'failure',
      actor: { kind: 'anonymous', email: body.email },
      details: { reason: 'bad_password' },
    });
    throw new ProblemError({ code: FixtureErrorCode.InvalidCredentials, detail: 'Email or password is wrong.' });
  }
}

@Injectable()
class StreamTrimmer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(Redis) private readonly redis: Redis,
    @Inject('AUDIT_FIXTURE_STREAM') private readonly streamKey: string,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void bestEffort(this.redis.xtrim(this.streamKey, 'MAXLEN', '~', 1_000), 'audit.fixture.trim'),
      1_000,
    );
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

export interface FixtureOptions {
  /** Run the stream consumer and outbox relay in this process (the worker role). */
  consumer?: boolean;
  /** Serve HTTP routes (the API role). */
  api?: boolean;
  logDestination?: DestinationStream;
}

export const FIXTURE_SERVICE = 'audit-fixture';

export function fixtureDataSource(config: Pick<FixtureConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>) {
  return createPostgresDataSource({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    applicationName: 'casebook-audit-fixture',
    migrations: auditMigrations,
  });
}

/** The fixture service: audited routes, the auditor API, and/or the consumer, over the audit package. */
@Module({})
export class FixtureModule {
  static forRoot(config: FixtureConfig, options: FixtureOptions = {}): DynamicModule {
    const api = options.api ?? true;
    const audited = config.AUDIT_FIXTURE_AUDITED;
    return {
      module: FixtureModule,
      imports: [
        PlatformModule.forRoot({
          service: FIXTURE_SERVICE,
          config,
          dataSource: () => fixtureDataSource(config),
          redis: true,
          logDestination: options.logDestination,
        }),
        ...(audited || options.consumer
          ? [AuditModule.forRoot({ http: api && audited, auditorApi: api && audited, consumer: options.consumer })]
          : []),
      ],
      controllers: api ? [ThingsController, ...(audited ? [SessionsController] : [])] : [],
      providers: [
        ...(api ? [{ provide: APP_GUARD, useClass: HeaderPrincipalGuard }] : []),
        ...(config.AUDIT_FIXTURE_TRIM_STREAM
          ? [{ provide: 'AUDIT_FIXTURE_STREAM', useValue: config.AUDIT_STREAM_KEY }, StreamTrimmer]
          : []),
      ],
    };
  }
}
