import { type AuditEvent, ChainWriter, findAnomalies } from '../src';
import { useAuditEnvironment } from './support/audit-environment';
import { buildEvent, pseudonymizer } from './support/events';

const env = useAuditEnvironment();
const HOUR = 3_600_000;
const NOW = new Date('2026-03-10T12:30:00.000Z');

/** `perHour` events by `user` in each hour of the 7 days before the window, spread inside the hour. */
function history(user: string, role: string, perHour: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  const windowStart = Date.UTC(2026, 2, 10, 12);
  for (let hour = 1; hour <= 7 * 24; hour += 1) {
    for (let i = 0; i < perHour; i += 1) {
      const at = new Date(windowStart - hour * HOUR + ((i + 1) * HOUR) / (perHour + 1));
      events.push(buildEvent({ actor: { kind: 'user', id: user, roles: [role] }, occurredAt: at }));
    }
  }
  return events;
}

function inWindow(user: string, role: string, count: number, outcome: AuditEvent['outcome'] = 'success'): AuditEvent[] {
  return Array.from({ length: count }, (_, i) =>
    buildEvent({
      actor: { kind: 'user', id: user, roles: [role] },
      outcome,
      occurredAt: new Date(Date.UTC(2026, 2, 10, 12) + (i % 1_800) * 1_000),
    }),
  );
}

async function append(events: AuditEvent[]): Promise<void> {
  const writer = new ChainWriter(env.db);
  for (let i = 0; i < events.length; i += 1_000) await writer.append(events.slice(i, i + 1_000));
}

describe('anomalous access (Q6.3)', () => {
  beforeAll(async () => {
    await append([
      // A guest who asks about one question an hour, then 1,000 in the last hour, a fifth of them denied.
      ...history('guest-1', 'guest', 1),
      ...inWindow('guest-1', 'guest', 800),
      ...inWindow('guest-1', 'guest', 200, 'denied'),
      // A busy analyst: a lot of traffic, but as much as always.
      ...history('analyst-1', 'analyst', 6),
      ...inWindow('analyst-1', 'analyst', 7),
      // A new account with no history at all.
      ...inWindow('new-1', 'guest', 120),
      // A quiet account with no history: below the noise floor.
      ...inWindow('quiet-1', 'guest', 3),
    ]);
  });

  it('When a principal suddenly makes 1000× its usual requests, then it is reported with its ratio', async () => {
    const anomalies = await findAnomalies(env.db, {
      windowHours: 1,
      baselineDays: 7,
      factor: 10,
      minEvents: 50,
      now: NOW,
    });
    const guest = anomalies.find((a) => a.actorPseudonym === pseudonymizer.pseudonym('user', 'guest-1'));
    expect(guest).toEqual({
      actorPseudonym: pseudonymizer.pseudonym('user', 'guest-1'),
      actorType: 'user',
      role: 'guest',
      events: 1_000,
      denied: 200,
      baseline: 1,
      ratio: 1_000,
    });
    expect(anomalies[0]).toBe(guest);
  });

  it('When a principal is busy but as busy as usual, then it is not reported', async () => {
    const anomalies = await findAnomalies(env.db, {
      windowHours: 1,
      baselineDays: 7,
      factor: 10,
      minEvents: 5,
      now: NOW,
    });
    expect(anomalies.map((a) => a.actorPseudonym)).not.toContain(pseudonymizer.pseudonym('user', 'analyst-1'));
  });

  it('When a principal has no history, then it is compared with the floor; below the noise threshold it is ignored', async () => {
    const anomalies = await findAnomalies(env.db, {
      windowHours: 1,
      baselineDays: 7,
      factor: 10,
      minEvents: 50,
      now: NOW,
    });
    const reported = anomalies.map((a) => a.actorPseudonym);
    expect(reported).toContain(pseudonymizer.pseudonym('user', 'new-1'));
    expect(reported).not.toContain(pseudonymizer.pseudonym('user', 'quiet-1'));
  });

  it('When the factor is raised above the spike, then nothing is reported', async () => {
    const anomalies = await findAnomalies(env.db, {
      windowHours: 1,
      baselineDays: 7,
      factor: 5_000,
      minEvents: 50,
      now: NOW,
    });
    expect(anomalies).toEqual([]);
  });
});
