import type { IntentModelArtifact } from '../artifact';

const WIDTH = 120;

/**
 * The artifact as JSON laid out the way Prettier lays it out (2 spaces, a value on one line when it fits
 * in 120 columns), so a committed model passes `prettier --check` and a retrained one diffs line by line:
 * one feature per line.
 */
export function formatArtifact(artifact: IntentModelArtifact): string {
  return `${format(artifact, 0, 0)}\n`;
}

function format(value: unknown, indent: number, prefix: number): string {
  const inline = oneLine(value);
  // +1 for the comma that may follow.
  if (indent + prefix + inline.length + 1 <= WIDTH || typeof value !== 'object' || value === null) return inline;
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    const items = value.map((item) => `${pad}${format(item, indent + 2, 0)}`);
    return `[\n${items.join(',\n')}\n${' '.repeat(indent)}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).map(([key, item]) => {
    const label = `${JSON.stringify(key)}: `;
    return `${pad}${label}${format(item, indent + 2, label.length)}`;
  });
  return `{\n${entries.join(',\n')}\n${' '.repeat(indent)}}`;
}

function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}: ${oneLine(item)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(value);
}
