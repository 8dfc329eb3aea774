// B1: Fastify hello world with no plugins: what Fastify's routing and serialisation cost on top of B0.
import Fastify from 'fastify';
import { HELLO, listenAddress } from './listen-address';

async function main(): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/', async () => HELLO);
  const { port, host } = listenAddress();
  await app.listen({ port, host });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
