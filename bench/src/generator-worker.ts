// The load generator process: started by the bench harness (pinned to its own core), runs one load at a time on
// request over IPC and exits when the harness disconnects.
import { type GeneratorRequest, measureLoad } from './harness/generator';

interface RunMessage {
  id: number;
  request: GeneratorRequest;
}

if (!process.send) {
  console.error('generator-worker must be started by the bench harness with an IPC channel');
  process.exit(2);
}

let queue = Promise.resolve();
process.on('message', (message: RunMessage) => {
  // One run at a time: two loads sharing this core would measure each other.
  queue = queue.then(async () => {
    try {
      const result = await measureLoad(message.request);
      process.send?.({ id: message.id, result });
    } catch (error: unknown) {
      process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
});
process.on('disconnect', () => process.exit(0));
