import { type DynamicModule, VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config';
import { CommonErrorCode, PROBLEM_CONTENT_TYPE, ProblemError, toProblem } from '../errors';
import { REQUEST_ID_HEADER, type RequestContext, RequestContextStore, requestIdFrom } from '../context';
import { securityHeaders } from '../http';
import { PinoNestLogger } from '../logging';
import { Metrics } from '../metrics';
import { installShutdown } from './shutdown';
import { CONFIG, LOGGER, SERVICE_NAME } from './tokens';

declare module 'fastify' {
  interface FastifyRequest {
    casebookContext?: RequestContext;
  }
}

/** The Fastify adapter every service runs on: request ids from `X-Request-Id`, body limits, fast close. */
export function createFastifyAdapter(config: Pick<BaseConfig, 'BODY_LIMIT_BYTES'>): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: requestIdFrom,
    requestIdHeader: false,
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Errors Fastify's router raises before any route runs (a malformed URL, an over-long path
    // parameter) are problem documents too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      const { document, headers } = toProblem(error, {
        requestId: request.id,
        instance: request.url.split('?')[0]!.slice(0, 256),
      });
      void reply
        .status(document.status)
        .headers(headers)
        .header(REQUEST_ID_HEADER, request.id)
        .header('content-type', PROBLEM_CONTENT_TYPE)
        .send(JSON.stringify(document));
    },
  });
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * Everything that is the same for every service: logger, request context, RED metrics, access log,
 * security headers, CORS allowlist, URI versioning, OpenAPI. Used by `main.ts` and by the test app factory.
 */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get<BaseConfig>(CONFIG);
  const logger = app.get<Logger>(LOGGER);
  const metrics = app.get(Metrics);
  const service = app.get<string>(SERVICE_NAME);
  app.useLogger(new PinoNestLogger(logger));

  const fastify = app.getHttpAdapter().getInstance();
  const headers = securityHeaders();
  fastify.addHook('onRequest', (request, reply, done) => {
    const context: RequestContext = { requestId: request.id };
    request.casebookContext = context;
    RequestContextStore.enter(context);
    void reply.headers(headers).header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // Body parsing runs in the socket's async context; enter the request's context again before the handler.
  fastify.addHook('preHandler', (request, _reply, done) => {
    if (request.casebookContext) RequestContextStore.enter(request.casebookContext);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    const seconds = reply.elapsedTime / 1000;
    metrics.observeHttp(request.method, route, reply.statusCode, seconds);
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    if (route !== '/metrics' && !route.startsWith('/health') && logger.isLevelEnabled(level)) {
      logger[level](
        {
          requestId: request.id,
          req: { method: request.method, url: request.url, route, headers: request.headers, remoteAddress: request.ip },
          res: { statusCode: reply.statusCode },
          responseTimeMs: Math.round(reply.elapsedTime * 100) / 100,
        },
        'request completed',
      );
    }
    done();
  });

  // JSON is the only body type; malformed JSON is a client error with its own code (Nest would map
  // Fastify's parser error to a bare 400 and lose the reason).
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parseJson(request, body as string, (error, value) => {
      if (error) {
        done(
          new ProblemError({ code: CommonErrorCode.MalformedJson, detail: 'The body is not valid JSON.' }),
          undefined,
        );
      } else {
        done(null, value);
      }
    });
  });

  app.enableCors({
    // An explicit allowlist, never `*` with credentials; no origins configured means no CORS.
    origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false,
    credentials: true,
    exposedHeaders: [REQUEST_ID_HEADER, 'ratelimit', 'ratelimit-policy', 'retry-after', 'location', 'cache-status'],
  });
  app.enableVersioning({ type: VersioningType.URI });

  if (config.DOCS_ENABLED) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(`casebook ${service}`)
        .setDescription(`HTTP API of the casebook ${service}. Errors are RFC 9457 problem documents.`)
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', raw: ['json'] });
  }
}

export interface ServiceDefinition<C extends BaseConfig> {
  config: C;
  module: (config: C) => DynamicModule;
}

/** Boots an HTTP service, prints where it listens, and drains it on SIGINT/SIGTERM within the shutdown budget. */
export async function runService<C extends BaseConfig>({
  config,
  module,
}: ServiceDefinition<C>): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module(config), createFastifyAdapter(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  await configureApp(app);
  const logger = app.get<Logger>(LOGGER);
  const service = app.get<string>(SERVICE_NAME);
  await app.listen({ port: config.PORT, host: config.HOST });
  const url = `http://${config.HOST}:${config.PORT}`;
  logger.info({ url, docs: `${url}/docs` }, `${service} listening on ${url}`);

  installShutdown(app, logger, config.SHUTDOWN_TIMEOUT_MS);
  return app;
}
