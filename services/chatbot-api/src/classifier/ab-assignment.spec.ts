import { bucketOf, parseSplit, versionForBucket } from './ab-assignment';
import { IntentClassifier } from './intent-classifier';
import { LanguageDetector } from './language';
import { loadIntentModel } from './load';

const users = Array.from({ length: 10_000 }, (_, i) => `user-${i}`);

describe('A/B assignment of model versions', () => {
  it('When the same user asks twice, on two instances, then both give the same version and bucket', () => {
    const models = [loadIntentModel('intent-v1'), loadIntentModel('intent-v2')];
    const instance = (): IntentClassifier =>
      new IntentClassifier({
        models,
        split: parseSplit('intent-v1=50,intent-v2=50'),
        salt: 'exp-1',
        languages: LanguageDetector.create({ franc: false }),
      });
    const [a, b] = [instance(), instance()];
    for (const user of users.slice(0, 200)) {
      expect(b.assign(user)).toEqual(a.assign(user));
      expect(a.assign(user)).toEqual(a.assign(user));
    }
  });

  it('When 10,000 users are split 10/90, then about 10 % get the first version', () => {
    const split = parseSplit('intent-v1=10,intent-v2=90');
    const onV1 = users.filter((user) => versionForBucket(bucketOf(user, 'exp-1'), split) === 'intent-v1').length;
    expect(onV1 / users.length).toBeGreaterThan(0.08);
    expect(onV1 / users.length).toBeLessThan(0.12);
  });

  it('When buckets are drawn for many users, then every bucket 0–99 is used about equally', () => {
    const counts = new Array<number>(100).fill(0);
    for (const user of users) counts[bucketOf(user, 'exp-1')] += 1;
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(150);
  });

  it('When the new version is ramped from 10 % to 50 %, then nobody already on it goes back', () => {
    const before = parseSplit('intent-v1=90,intent-v2=10');
    const after = parseSplit('intent-v1=50,intent-v2=50');
    for (const user of users) {
      const bucket = bucketOf(user, 'exp-1');
      if (versionForBucket(bucket, before) === 'intent-v2') expect(versionForBucket(bucket, after)).toBe('intent-v2');
    }
  });

  it('When the experiment salt changes, then users are reshuffled', () => {
    const moved = users.filter((user) => bucketOf(user, 'exp-1') !== bucketOf(user, 'exp-2')).length;
    expect(moved / users.length).toBeGreaterThan(0.9);
  });

  it.each(['intent-v1=10,intent-v2=80', 'intent-v1=100,intent-v1=0', 'v1=50,v2=50', 'intent-v1=-10,intent-v2=110', ''])(
    'When the split is %j, then it is rejected',
    (spec) => {
      expect(() => parseSplit(spec)).toThrow();
    },
  );
});
