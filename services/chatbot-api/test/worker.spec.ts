import { hostname } from 'node:os';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { LogCapture, TEST_REDIS_URL, useTestEnvironment, waitFor } from '@casebook/testing';
import { loadChatbotConfig, WorkerModule } from '../src';

const env = useTestEnvironment('chatbot-api');

describe('chatbot worker entry', () => {
  let worker: INestApplicationContext;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL, { keyPrefix: env.redisPrefix });
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot(loadChatbotConfig(env.env()), { logDestination: new LogCapture() }),
      {
        logger: false,
      },
    );
    await worker.init();
  });
  afterAll(async () => {
    redis?.disconnect();
  });

  it('When the worker boots, then it runs without an HTTP server and announces itself in Redis', async () => {
    const key = `worker:heartbeat:${hostname()}:${process.pid}`;
    await waitFor(async () => (await redis.get(key)) !== null, { message: 'no heartbeat written' });
    expect(() => (worker as unknown as { getHttpServer(): unknown }).getHttpServer()).toThrow();
  });

  it('When the worker shuts down, then its heartbeat is removed', async () => {
    const key = `worker:heartbeat:${hostname()}:${process.pid}`;
    await worker.close();
    expect(await redis.exists(key)).toBe(0);
  });
});
