import { OperationErrors } from '../core/operations-errors';

const DAY_MS = 86_400_000;

/** Whole UTC days, `to` inclusive; a reversed or impossible range is the caller's mistake (400). */
export function dayRange(from?: string, to?: string): { createdFrom?: Date; createdBefore?: Date } {
  const start = from ? dayStart(from, 'from') : undefined;
  const end = to ? new Date(dayStart(to, 'to').getTime() + DAY_MS) : undefined;
  if (start && end && start >= end) throw OperationErrors.invalidDateRange();
  return { createdFrom: start, createdBefore: end };
}

function dayStart(day: string, name: string): Date {
  const date = new Date(`${day}T00:00:00.000Z`);
  if (!Number.isFinite(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
    throw OperationErrors.invalidDate(name);
  }
  return date;
}
