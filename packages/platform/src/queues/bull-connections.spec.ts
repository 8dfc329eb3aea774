import { TEST_REDIS_URL } from '@casebook/testing';
import { BullConnections } from './bull-connections';

describe('BullConnections', () => {
  let bull: BullConnections;

  beforeEach(() => {
    bull = new BullConnections({ url: TEST_REDIS_URL, connectionName: 'bull-test', prefix: 'test:{bull}' });
  });
  afterEach(() => bull.disconnect());

  it('When producers ask for options, then they share one fail-fast connection with the prefix', async () => {
    const a = bull.producer();
    const b = bull.producer();
    expect(a.connection).toBe(b.connection);
    expect(a.prefix).toBe('test:{bull}');
    expect(a.connection.options.maxRetriesPerRequest).toBe(1);
    expect(await a.connection.client('GETNAME')).toBe('bull-test');
  });

  it('When workers ask for options, then each gets its own connection that retries forever', () => {
    const a = bull.blocking();
    const b = bull.blocking();
    expect(a.connection).not.toBe(b.connection);
    expect(a.connection.options.maxRetriesPerRequest).toBeNull();
  });

  it('When disconnected, then every connection it opened is closed', async () => {
    const producer = bull.producer().connection;
    const worker = bull.blocking().connection;
    await Promise.all([producer.ping(), worker.ping()]);
    const closed = Promise.all([producer, worker].map((c) => new Promise((resolve) => c.once('end', resolve))));

    bull.disconnect();

    await closed;
    expect([producer.status, worker.status]).toEqual(['end', 'end']);
    expect(bull.producer().connection).not.toBe(producer);
  });
});
