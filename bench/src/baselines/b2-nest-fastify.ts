// B2: Nest on the Fastify adapter with one controller: the floor under every casebook service, which adds its
// own middleware, guards and interceptors on top. Ratios in the bench table are against this one.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HELLO, listenAddress } from './listen-address';

@Controller()
class HelloController {
  @Get()
  hello(): typeof HELLO {
    return HELLO;
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(HelloModule, new FastifyAdapter(), { logger: false });
  app.enableShutdownHooks();
  const { port, host } = listenAddress();
  await app.listen(port, host);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
