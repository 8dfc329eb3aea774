import { LazyAdam, seededRandom, shuffled, shuffleInPlace } from '../src';

describe('seeded randomness', () => {
  it('When two generators share a seed, then they give the same sequence, and another seed a different one', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));

    expect(draw(7)).toEqual(draw(7));
    expect(draw(8)).not.toEqual(draw(7));
    expect(draw(7).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('When a list is shuffled, then the result is a permutation and the copy form leaves the input alone', () => {
    const input = Array.from({ length: 50 }, (_, i) => i);

    const copy = shuffled(input, seededRandom(1));

    expect(input).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect([...copy].sort((a, b) => a - b)).toEqual(input);
    expect(copy).not.toEqual(input);
    expect(shuffleInPlace([...input], seededRandom(1))).toEqual(copy);
  });
});

describe('LazyAdam', () => {
  it('When a batch touches some features, then only their rows and the biases move', () => {
    const adam = new LazyAdam(4, 2, { learningRate: 0.1, l2: 0 });

    adam.begin();
    const base = adam.touch(2);
    adam.gradient[base] = 1;
    adam.gradient[base + 1] = -1;
    adam.gradientBias[0] = 0.5;
    adam.update();

    expect([...adam.weights.slice(0, 4)]).toEqual([0, 0, 0, 0]);
    expect(adam.weights[4]).toBeLessThan(0);
    expect(adam.weights[5]).toBeGreaterThan(0);
    expect(adam.bias[0]).toBeLessThan(0);
    expect(adam.bias[1]).toBe(0);
    expect(adam.steps).toBe(1);
  });

  it('When a feature is touched twice in one batch, then its gradient row is zeroed once and sums', () => {
    const adam = new LazyAdam(2, 1, { learningRate: 0.1, l2: 0 });
    adam.begin();
    adam.gradient[0] = 99; // stale from an earlier batch

    adam.gradient[adam.touch(0)] += 1;
    adam.gradient[adam.touch(0)] += 2;

    expect(adam.gradient[0]).toBe(3);
  });

  it('When a one-feature logistic regression is fitted, then it separates the classes', () => {
    const adam = new LazyAdam(1, 1, { learningRate: 0.1, l2: 0 });
    const xs = [-2, -1, 1, 2];
    const ys = [0, 0, 1, 1];
    for (let epoch = 0; epoch < 200; epoch += 1) {
      adam.begin();
      xs.forEach((x, i) => {
        const p = 1 / (1 + Math.exp(-(adam.weights[0]! * x + adam.bias[0]!)));
        adam.gradient[adam.touch(0)] += ((p - ys[i]!) * x) / xs.length;
        adam.gradientBias[0] += (p - ys[i]!) / xs.length;
      });
      const seen: number[] = [];
      adam.update((feature, step) => seen.push(feature, step));
      expect(seen).toEqual([0, epoch + 1]);
    }

    expect(adam.weights[0]).toBeGreaterThan(1);
    expect(Math.abs(adam.bias[0]!)).toBeLessThan(0.5);
  });
});
