import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { asRecord } from '../../core/json-guards';

/** Fields every form carries that are not part of its data. */
const FORM_PLUMBING = new Set(['_csrf', 'return_to']);

export interface FormResult<T> {
  /** The validated form, or null when any field is wrong. */
  value: T | null;
  /** First message per field, shown beside that field; `_form` for fields the form does not know. */
  errors: Record<string, string>;
}

/**
 * Validates a posted form against a class-validator DTO without throwing, so the page can be
 * rendered again with each message next to its field (the global pipe would answer a bare 400).
 */
export async function validateForm<T extends object>(dto: new () => T, body: unknown): Promise<FormResult<T>> {
  const raw = asRecord(body) ?? {};
  const data = Object.fromEntries(Object.entries(raw).filter(([key]) => !FORM_PLUMBING.has(key)));
  const instance = plainToInstance(dto, data);
  const issues = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const message = Object.values(issue.constraints ?? {})[0] ?? `${issue.property} is not valid.`;
    if (issue.constraints?.whitelistValidation) errors._form ??= `Unexpected field "${issue.property}".`;
    else errors[issue.property] ??= message;
  }
  return { value: Object.keys(errors).length ? null : instance, errors };
}
