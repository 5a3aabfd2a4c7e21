import { EvidenceSection } from './evidence';
import { ReviewPeriod } from './review-period';
import { asRecord, recordsIn } from '../../../shared/core/json-guards';

/** Everything the Markdown (and page) rendering of a review needs, already loaded. */
export interface ReviewDocument {
  environment: { slug: string; name: string };
  workspace: { slug: string; name: string };
  period: ReviewPeriod;
  status: string;
  composedAt: string | null;
  supersedesReviewId: string | null;
  sections: EvidenceSection[];
}

const OUTCOME_COLUMNS = [
  ['succeeded', 'Succeeded'],
  ['partially_succeeded', 'Partially succeeded'],
  ['failed', 'Failed'],
  ['blocked', 'Blocked'],
  ['reconciled', 'Reconciled'],
  ['went_stale', 'Went stale'],
] as const;

/**
 * The review as a governance document in Markdown. Every piece of stored text (names, kinds,
 * types, explanations) is escaped, so a display name cannot add headings, links or table cells.
 * Section data comes from jsonb: unexpected shapes render as "No data recorded." rather than throw.
 */
export function renderReviewMarkdown(doc: ReviewDocument): string {
  const lines: string[] = [
    `# Environment review: ${md(doc.environment.name)}`,
    '',
    `- **Workspace:** ${md(doc.workspace.name)} (${md(doc.workspace.slug)})`,
    `- **Environment:** ${md(doc.environment.name)} (${md(doc.environment.slug)})`,
    `- **Period:** ${md(doc.period.label)} (${md(doc.period.from)} to ${md(doc.period.to)}, end exclusive)`,
    `- **Status:** ${md(doc.status)}`,
    `- **Composed:** ${doc.composedAt ? md(doc.composedAt) : 'not yet'}`,
  ];
  if (doc.supersedesReviewId) lines.push(`- **Supersedes review:** ${md(doc.supersedesReviewId)}`);
  for (const section of doc.sections) {
    lines.push('', `## ${md(section.label)}`, '', ...renderSection(section));
  }
  return `${lines.join('\n')}\n`;
}

function renderSection(section: EvidenceSection): string[] {
  if (section.state === 'missing') {
    return [`_Missing:_ ${md(section.explanation ?? 'This evidence was not available when the review was composed.')}`];
  }
  const data = asRecord(section.data);
  if (!data) return [NO_DATA];
  switch (section.key) {
    case 'baseline_drift':
      return renderDrift(data);
    case 'operations_health':
      return renderOperations(data);
    case 'inventory_coverage':
      return renderInventory(data);
    default:
      return [NO_DATA];
  }
}

const NO_DATA = 'No data recorded.';

function renderDrift(data: Record<string, unknown>): string[] {
  const results = recordsIn(data.compare_results);
  const findings = recordsIn(data.findings);
  if (results.length === 0) return ['No baseline compare results in this period.'];
  const out = ['Latest compare results:', ''];
  for (const r of results) {
    const at = typeof r.completed_at === 'string' ? `, completed ${md(r.completed_at)}` : '';
    const synced = typeof r.inventory_synced_at === 'string' ? `, inventory synced ${md(r.inventory_synced_at)}` : '';
    out.push(`- ${md(text(r.baseline_name, 'Unnamed baseline'))}: ${num(r.findings)} findings${at}${synced}`);
  }
  out.push('');
  if (findings.length === 0) return [...out, 'No drift findings.'];
  out.push('| Finding type | Kind | Count |', '| --- | --- | ---: |');
  for (const f of findings) out.push(`| ${md(text(f.type))} | ${md(text(f.kind))} | ${num(f.count)} |`);
  return out;
}

function renderOperations(data: Record<string, unknown>): string[] {
  const runs = recordsIn(data.runs);
  if (runs.length === 0) return ['No operation runs in this period.'];
  const out = [
    `| Operation | ${OUTCOME_COLUMNS.map(([, label]) => label).join(' | ')} |`,
    `| --- | ${OUTCOME_COLUMNS.map(() => '---:').join(' | ')} |`,
  ];
  for (const r of runs) {
    const name = text(r.label, text(r.type));
    out.push(`| ${md(name)} | ${OUTCOME_COLUMNS.map(([key]) => num(r[key])).join(' | ')} |`);
  }
  return out;
}

function renderInventory(data: Record<string, unknown>): string[] {
  const items = recordsIn(data.items);
  const sync = typeof data.last_successful_sync_at === 'string' ? md(data.last_successful_sync_at) : 'never';
  const out = [`Last successful sync: ${sync}`, ''];
  if (items.length === 0) return [...out, 'No inventory items recorded.'];
  out.push('| Kind | Items |', '| --- | ---: |');
  for (const i of items) out.push(`| ${md(text(i.kind))} | ${num(i.count)} |`);
  return out;
}

/**
 * Escapes text for inline Markdown: line breaks become spaces (so no new block can start), and
 * every character with inline meaning is backslash-escaped (CommonMark allows escaping any ASCII
 * punctuation, so the rendered text is unchanged). `|` is escaped too, for table cells. Text is
 * always placed after a prefix, never at a line start, so `-`, `+`, `.` need no escaping there.
 */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_{}[\]()<>#!|~]/g, (c) => `\\${c}`);
}

const md = escapeMarkdown;

function text(value: unknown, fallback = 'unknown'): string {
  return typeof value === 'string' && value.trim() !== '' ? value : fallback;
}

function num(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '0';
}
