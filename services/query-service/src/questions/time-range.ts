import { addDays, addMonths, isoWeekday, isValidDate, type LocalDate, localDateOf, startOfLocalDay } from './time-zone';
import type { TimeRange } from './canonical-query';

/** A calendar span `[start, end)` in local dates, before it is pinned to a zone. */
export interface LocalSpan {
  start: LocalDate;
  end: LocalDate;
}

/**
 * Q18.3: a local span becomes absolute instants in the asker's zone: local midnight of the first day
 * to local midnight after the last, whatever DST does in between (a March in Berlin is 743 hours long).
 */
export function toRange(span: LocalSpan, timeZone: string): TimeRange {
  return {
    from: new Date(startOfLocalDay(span.start, timeZone)).toISOString(),
    to: new Date(startOfLocalDay(span.end, timeZone)).toISOString(),
  };
}

const date = (year: number, month: number, day = 1): LocalDate => ({ year, month, day });

export function yearSpan(year: number): LocalSpan {
  return { start: date(year, 1), end: date(year + 1, 1) };
}

export function quarterSpan(year: number, quarter: number): LocalSpan {
  const start = date(year, (quarter - 1) * 3 + 1);
  return { start, end: addMonths(start, 3) };
}

export function halfSpan(year: number, half: number): LocalSpan {
  const start = date(year, half === 1 ? 1 : 7);
  return { start, end: addMonths(start, 6) };
}

/** Months `from`–`to` inclusive, possibly across years. */
export function monthSpan(fromYear: number, fromMonth: number, toYear: number, toMonth: number): LocalSpan | null {
  const start = date(fromYear, fromMonth);
  const end = addMonths(date(toYear, toMonth), 1);
  return start.year * 12 + start.month < end.year * 12 + end.month ? { start, end } : null;
}

/** Dates `from`–`to`, both inclusive, as people say "between 2024-01-01 and 2024-03-31". */
export function dateSpan(from: LocalDate, toInclusive: LocalDate): LocalSpan | null {
  if (!isValidDate(from) || !isValidDate(toInclusive)) return null;
  const end = addDays(toInclusive, 1);
  return Date.UTC(from.year, from.month - 1, from.day) < Date.UTC(end.year, end.month - 1, end.day)
    ? { start: from, end }
    : null;
}

export type RelativeUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

function startOfWeek(day: LocalDate): LocalDate {
  return addDays(day, 1 - isoWeekday(day));
}

function startOfQuarter(day: LocalDate): LocalDate {
  return date(day.year, Math.floor((day.month - 1) / 3) * 3 + 1);
}

/**
 * Relative periods, anchored on the asker's local today. Closed periods end at a day boundary, so the
 * canonical query (and the key) stays the same for the whole day instead of changing every second.
 * - `current`: this week/month/quarter/year, the whole calendar period (today = today's date).
 * - `previous`: the complete period before it (yesterday, last week, last month …).
 * - `trailing n`: the n complete units before the current one ("last 7 days" ends at today's midnight).
 * - `toDate`: from the start of the current period up to and including today (YTD, MTD).
 */
export function relativeSpan(
  now: number,
  timeZone: string,
  kind: 'current' | 'previous' | 'trailing' | 'toDate',
  unit: RelativeUnit,
  n = 1,
): LocalSpan {
  const today = localDateOf(now, timeZone);
  const tomorrow = addDays(today, 1);
  const startOf = (unitStart: RelativeUnit): LocalDate => {
    switch (unitStart) {
      case 'day':
        return today;
      case 'week':
        return startOfWeek(today);
      case 'month':
        return date(today.year, today.month);
      case 'quarter':
        return startOfQuarter(today);
      case 'year':
        return date(today.year, 1);
    }
  };
  const shift = (from: LocalDate, count: number): LocalDate => {
    switch (unit) {
      case 'day':
        return addDays(from, count);
      case 'week':
        return addDays(from, 7 * count);
      case 'month':
        return addMonths(from, count);
      case 'quarter':
        return addMonths(from, 3 * count);
      case 'year':
        return addMonths(from, 12 * count);
    }
  };
  const current = startOf(unit);
  switch (kind) {
    case 'current':
      return { start: current, end: shift(current, 1) };
    case 'previous':
      return { start: shift(current, -1), end: current };
    case 'trailing':
      return { start: shift(current, -n), end: current };
    case 'toDate':
      return { start: current, end: tomorrow };
  }
}
