// B0: node:http hello world, the ceiling for any Node HTTP server on this machine.
import { createServer } from 'node:http';
import { HELLO, listenAddress } from './listen-address';

const body = JSON.stringify(HELLO);
const { port, host } = listenAddress();
const server = createServer((_request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
});
server.listen(port, host);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
