// Generators of valid identifiers for tests; callers pass a fixed-seed generator (`seededRandom` of
// @casebook/ml) so failures are reproducible.

function mod11(digits: number[], weights: number[]): number {
  const r = digits.reduce((sum, d, i) => sum + d * weights[i]!, 0) % 11;
  return r < 2 ? 0 : 11 - r;
}

export function buildCpf(random: () => number): string {
  const d = Array.from({ length: 9 }, () => Math.floor(random() * 10));
  d.push(mod11(d, [10, 9, 8, 7, 6, 5, 4, 3, 2]));
  d.push(mod11(d, [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]));
  return d.join('');
}

export function buildCnpj(random: () => number): string {
  const d = [...Array.from({ length: 8 }, () => Math.floor(random() * 10)), 0, 0, 0, 1];
  d.push(mod11(d, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]));
  d.push(mod11(d, [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]));
  return d.join('');
}

export function formatCpf(digits: string): string {
  return `${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${digits.slice(9)}`;
}

export function formatCnpj(digits: string): string {
  return `${digits.slice(0, 2)}.${digits.slice(2, 5)}.${digits.slice(5, 8)}/${digits.slice(8, 12)}-${digits.slice(12)}`;
}

/** Changes the last check digit, so the number is well-formed but invalid. */
export function breakCheckDigit(digits: string): string {
  const last = Number(digits[digits.length - 1]);
  return digits.slice(0, -1) + String((last + 1) % 10);
}
