import type { RuleWindow, Weekday } from './schema';
import { WEEKDAYS } from './schema';

/** A window with its clock times as minutes since local midnight and its zone's formatter. */
export interface CompiledWindow {
  zone: string;
  days: readonly Weekday[];
  from: string;
  to: string;
  fromMinute: number;
  toMinute: number;
}

// Formatters are stateless and costly to build, so each zone gets one, built at compile time.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The formatter for `zone`, or undefined when the runtime does not know the zone. */
export function zoneFormatter(zone: string): Intl.DateTimeFormat | undefined {
  const cached = formatters.get(zone);
  if (cached !== undefined) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    return undefined;
  }
  formatters.set(zone, formatter);
  return formatter;
}

export function compileWindow(window: RuleWindow): CompiledWindow | string {
  if (zoneFormatter(window.zone) === undefined) return `unknown IANA time zone "${window.zone}"`;
  const fromMinute = minutes(window.from);
  const toMinute = minutes(window.to);
  if (fromMinute === toMinute) return 'from equals to; omit the window for a rule that always applies';
  if (fromMinute === 24 * 60) return 'from may not be 24:00';
  const days = WEEKDAYS.filter((d) => window.days.includes(d));
  return { zone: window.zone, days, from: window.from, to: window.to, fromMinute, toMinute };
}

/**
 * Q31.2: whether `now` falls inside the window, read on the wall clock of the window's own zone
 * (Intl applies the zone's DST rules). A window with `from > to` crosses midnight: it opens on a
 * listed day at `from` and closes the next day at `to`, so `fri 22:00–06:00` covers Saturday 02:00.
 */
export function inWindow(window: CompiledWindow, now: number): boolean {
  const { weekday, minute } = localTime(window.zone, now);
  if (window.fromMinute < window.toMinute) {
    return window.days.includes(weekday) && minute >= window.fromMinute && minute < window.toMinute;
  }
  if (minute >= window.fromMinute) return window.days.includes(weekday);
  const yesterday = WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7]!;
  return minute < window.toMinute && window.days.includes(yesterday);
}

interface LocalTime {
  weekday: Weekday;
  minute: number;
}

// The last reading per zone, keyed by the whole second it was read for: requests of one second share it
// (zone offsets are whole seconds, so the answer cannot change inside one).
const lastReading = new Map<string, { second: number; time: LocalTime }>();

export function localTime(zone: string, now: number): LocalTime {
  const second = Math.floor(now / 1000);
  const last = lastReading.get(zone);
  if (last !== undefined && last.second === second) return last.time;
  const time = readLocalTime(zone, now);
  lastReading.set(zone, { second, time });
  return time;
}

function readLocalTime(zone: string, now: number): LocalTime {
  const parts = zoneFormatter(zone)!.formatToParts(now);
  let weekday: Weekday = 'mon';
  let hour = 0;
  let minute = 0;
  for (const part of parts) {
    if (part.type === 'weekday') weekday = part.value.slice(0, 3).toLowerCase() as Weekday;
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { weekday, minute: hour * 60 + minute };
}

function minutes(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}
