/**
 * Calendar arithmetic in an IANA time zone with nothing but Intl (Q18.3). A local date-time is turned into
 * a UTC instant by asking Intl for the zone's offset at a guess and correcting once, which is exact on
 * both sides of a DST change; a local time inside a spring-forward gap resolves to the first instant after it.
 */

export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const canonical = new Map<string, string | null>();

/** The canonical spelling of a zone (`europe/berlin` → `Europe/Berlin`, `utc` → `UTC`), or null if unknown. */
export function canonicalTimeZone(name: string): string | null {
  const known = canonical.get(name);
  if (known !== undefined) return known;
  let resolved: string | null;
  try {
    const zone = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    resolved = zone === 'Etc/UTC' || zone === 'Etc/GMT' || zone === 'GMT' ? 'UTC' : zone;
  } catch {
    resolved = null;
  }
  // Creating an Intl formatter is the costly part; names people send are few.
  if (canonical.size < 1_000) canonical.set(name, resolved);
  return resolved;
}

function wallClock(timeZone: string, instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

const offsets = new Map<string, number>();

/**
 * Offset of the zone from UTC at an instant, in ms (positive east of Greenwich). Offsets change on whole
 * minutes, so they are remembered per zone and minute (formatToParts costs microseconds on every call).
 */
export function offsetAt(timeZone: string, instant: number): number {
  const minute = Math.floor(instant / 60_000);
  const id = `${timeZone}|${minute}`;
  let offset = offsets.get(id);
  if (offset === undefined) {
    const whole = minute * 60_000;
    offset = wallClock(timeZone, whole) - whole;
    if (offsets.size >= 10_000) offsets.clear();
    offsets.set(id, offset);
  }
  return offset;
}

/** The UTC instant of local midnight starting `date` in `timeZone`. */
export function startOfLocalDay(date: LocalDate, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  const first = wall - offsetAt(timeZone, wall);
  const second = wall - offsetAt(timeZone, first);
  if (first === second) return first;
  // The offset changed between the guesses: take whichever maps back to the wall time, or, in a gap,
  // the later of the two (the first instant of that local day).
  if (wallClock(timeZone, second) === wall) return second;
  if (wallClock(timeZone, first) === wall) return first;
  return Math.max(first, second);
}

/** The local calendar date of an instant in a zone. */
export function localDateOf(instant: number, timeZone: string): LocalDate {
  const wall = new Date(instant + offsetAt(timeZone, instant));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** Calendar arithmetic on local dates (no zone involved: a day is a calendar day, not 24 h). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function addMonths(date: LocalDate, months: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1 + months, 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: Math.min(date.day, daysInMonth(d)) };
}

function daysInMonth(first: Date): number {
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return day === 0 ? 7 : day;
}

export function isValidDate(date: LocalDate): boolean {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day));
  return d.getUTCFullYear() === date.year && d.getUTCMonth() === date.month - 1 && d.getUTCDate() === date.day;
}
