import { DomainError } from '../../../../shared/core/domain-error';

/** `{ baseline_id }` and nothing else: the start input of baseline.capture and baseline.compare. */
export function parseBaselineInput(type: string, raw: unknown): { baseline_id: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new DomainError('invalid_input', `${type} needs an input object like {"baseline_id": "<id>"}.`);
  }
  const record = raw as Record<string, unknown>;
  const unexpected = Object.keys(record).find((key) => key !== 'baseline_id');
  if (unexpected !== undefined) {
    throw new DomainError('invalid_input', `${type} takes only baseline_id; unexpected field "${unexpected}".`);
  }
  const id = record.baseline_id;
  if (typeof id !== 'string' || id.trim() === '') {
    throw new DomainError('invalid_input', `${type} needs baseline_id (the id of a baseline profile).`);
  }
  return { baseline_id: id.trim() };
}
