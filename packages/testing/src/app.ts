import type { DynamicModule, Provider, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { type BaseConfig, configureApp, createFastifyAdapter, type DestinationStream } from '@casebook/platform';
import supertest from 'supertest';
import { LogCapture } from './log-capture';

export interface TestAppOptions<C extends BaseConfig> {
  config: C;
  /** The service's root module, e.g. `(config, logDestination) => AppModule.forRoot(config, { logDestination })`. */
  module: (config: C, logDestination: DestinationStream) => DynamicModule;
  /** Extra controllers and providers only a test needs (a route that throws, a fake). */
  controllers?: Type[];
  providers?: Provider[];
}

export interface TestApp {
  app: NestFastifyApplication;
  /** supertest bound to the app's server. */
  http: ReturnType<typeof supertest>;
  logs: LogCapture;
  close(): Promise<void>;
}

/** Boots a service in-process, configured exactly as `main.ts` configures it, for supertest. */
export async function createTestApp<C extends BaseConfig>(options: TestAppOptions<C>): Promise<TestApp> {
  const logs = new LogCapture();
  const moduleRef = await Test.createTestingModule({
    imports: [options.module(options.config, logs)],
    controllers: options.controllers ?? [],
    providers: options.providers ?? [],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(options.config), {
    bufferLogs: true,
    bodyParser: false,
  });
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, http: supertest(app.getHttpServer()), logs, close: () => app.close() };
}
