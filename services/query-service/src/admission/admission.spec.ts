import type { DataQuery } from '../questions/canonical-query';
import { AdmissionLearner, AdmissionModel, featuresOf } from './admission';

const now = Date.UTC(2024, 5, 12);
const hour = 3_600_000;
const broad: DataQuery = {
  dataset: 'sales',
  groupBy: ['region'],
  filters: {},
  time: { from: '2024-05-01T00:00:00.000Z', to: '2024-06-01T00:00:00.000Z' },
  timeZone: null,
};
const oneOff: DataQuery = {
  dataset: 'sales',
  groupBy: ['day', 'product'],
  filters: { product: ['P0001', 'P0002', 'P0003', 'P0004', 'P0005', 'P0006', 'P0007', 'P0008', 'P0009', 'P0010'] },
  time: { from: '2024-06-01T00:00:00.000Z', to: '2024-06-13T00:00:00.000Z' },
  timeZone: 'UTC',
};

describe('cache admission (Q14)', () => {
  it('When nothing has been learned yet, then every kind of query is admitted (cold start)', () => {
    const model = new AdmissionModel();

    expect(model.admit(featuresOf(broad, false, now))).toBe(true);
    expect(model.admit(featuresOf(oneOff, true, now))).toBe(true);
  });

  it('When one kind is asked again and again and another never twice, then it learns to refuse only the second', () => {
    const learner = new AdmissionLearner(new AdmissionModel(), hour);
    let t = now;
    for (let i = 0; i < 400; i += 1) {
      t += 60_000;
      // The broad question recurs every minute; each one-off question is unique.
      learner.observe('broad', featuresOf(broad, false, t), t);
      learner.observe(`one-off-${i}`, featuresOf(oneOff, true, t), t);
    }

    expect(learner.model.predict(featuresOf(broad, false, t))).toBeGreaterThan(0.5);
    expect(learner.model.admit(featuresOf(oneOff, true, t))).toBe(false);
    expect(learner.model.admit(featuresOf(broad, false, t))).toBe(true);
  });

  it('When a refused kind starts being repeated, then the model admits it again (labels do not need caching)', () => {
    const learner = new AdmissionLearner(new AdmissionModel(), hour);
    let t = now;
    for (let i = 0; i < 400; i += 1) learner.observe(`one-off-${i}`, featuresOf(oneOff, true, (t += 60_000)), t);
    expect(learner.model.admit(featuresOf(oneOff, true, t))).toBe(false);

    for (let i = 0; i < 400; i += 1) {
      t += 60_000;
      learner.observe(`repeated-${i % 5}`, featuresOf(oneOff, true, t), t);
    }

    expect(learner.model.admit(featuresOf(oneOff, true, t))).toBe(true);
  });
});
