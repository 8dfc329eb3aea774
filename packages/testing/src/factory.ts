/**
 * A data factory with overrides: `const buildUser = defineFactory((n) => ({ email: `user${n}@x.test` }))`,
 * then `buildUser({ role: 'guest' })`. `n` counts per factory so generated values stay unique.
 */
export function defineFactory<T extends object>(defaults: (n: number) => T) {
  let sequence = 0;
  const build = (overrides: Partial<T> = {}): T => ({ ...defaults(++sequence), ...overrides });
  return Object.assign(build, {
    list: (count: number, overrides: Partial<T> = {}): T[] => Array.from({ length: count }, () => build(overrides)),
  });
}
