import type Handlebars from 'handlebars';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "22 Nov 2026, 09:30:05 UTC": one unambiguous way to show an instant on every page. */
export function formatInstant(value: unknown): string {
  if (!(value instanceof Date) && typeof value !== 'string') return '—';
  const date = new Date(value);
  if (!Number.isFinite(date.getTime())) return '—';
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`
  );
}

/**
 * The few helpers templates need. Each returns plain strings, so `{{…}}` still escapes them;
 * none returns a SafeString built from user text.
 */
export function registerViewHelpers(hbs: typeof Handlebars): void {
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('time', (value: unknown) => formatInstant(value));
  hbs.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null, null, 2));
  hbs.registerHelper('plural', (count: unknown, one: unknown, many: unknown) =>
    `${Number(count)} ${Number(count) === 1 ? String(one) : String(many)}`,
  );
  hbs.registerHelper('toneClass', (tone: unknown) => `tone-${typeof tone === 'string' && /^[a-z]+$/.test(tone) ? tone : 'neutral'}`);
}
