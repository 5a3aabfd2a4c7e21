import { OperationErrors } from './operations-errors';

/**
 * What a page needs to offer a type's start form, registered by the type's owner next to its
 * handler: the input fields and which options each field may take now. The handler's parseInput
 * and prepareStart stay the authority; this only lets pages explain ahead of time what they check.
 */

/** Facts a page already has about one choosable option (e.g. a baseline profile). */
export interface StartOptionFacts {
  /** The environment the option reads from (a baseline profile's source environment). */
  sourceEnvironmentId: string;
  hasCompleteSnapshot: boolean;
}

/** A start precondition on an option: options it rules out are listed but not choosable. */
export interface StartOptionPrecondition {
  holds(option: StartOptionFacts): boolean;
  /** Shown next to an option it rules out. */
  note: string;
  /** The form's reason when it rules out every option. */
  reason: string;
}

/** Kinds of start fields a page knows how to render and the start endpoint knows how to read. */
export type StartFieldKind = 'baseline';

export interface StartField {
  /** The input key the field's value is sent as (e.g. `baseline_id`). */
  name: string;
  kind: StartFieldKind;
  /** `source`: only options whose source is the run's environment; `any`: every visible option. */
  rule: 'source' | 'any';
  precondition?: StartOptionPrecondition;
}

export interface StartForm {
  readonly fields: readonly StartField[];
}

/** How the start endpoint reads a posted value of each field kind (a select of ids). */
export const START_FIELD_VALUES: Record<StartFieldKind, { pattern: RegExp; invalid: string }> = {
  baseline: { pattern: /^[0-9a-f-]{36}$/i, invalid: 'Choose a baseline profile.' },
};

const NO_FORM: StartForm = { fields: [] };

/** One start form per type at most; a field name means one kind everywhere. Checked at boot. */
export class StartFormRegistry {
  private readonly byType = new Map<string, StartForm>();
  private readonly byName = new Map<string, StartField>();

  registerAll(forms: { type: string; form: StartForm }[]): void {
    const problems: string[] = [];
    for (const { type, form } of forms) {
      if (this.byType.has(type)) {
        problems.push(`${type}: two start forms are registered`);
        continue;
      }
      this.byType.set(type, form);
      for (const field of form.fields) {
        const known = this.byName.get(field.name);
        if (known && known.kind !== field.kind) {
          problems.push(`${type}: field "${field.name}" is a ${field.kind} field here and a ${known.kind} field elsewhere`);
        } else if (!known) {
          this.byName.set(field.name, field);
        }
      }
    }
    if (problems.length) {
      throw OperationErrors.invalidStartForms(problems);
    }
  }

  /** The type's form; a type nobody registered one for has no fields. */
  of(type: string): StartForm {
    return this.byType.get(type) ?? NO_FORM;
  }

  /** Every field any start form declares, once per name (what a start endpoint reads from a post). */
  fields(): StartField[] {
    return [...this.byName.values()];
  }

  /**
   * A posted start form's input: the values of every registered field present, each checked by
   * its kind (a page posts strings); the type's handler still decides whether it takes them.
   */
  inputFrom(form: Record<string, unknown>): Record<string, unknown> {
    const input: Record<string, unknown> = {};
    for (const field of this.fields()) {
      const value = form[field.name];
      if (value === undefined) continue;
      const { pattern, invalid } = START_FIELD_VALUES[field.kind];
      if (typeof value !== 'string' || !pattern.test(value)) throw OperationErrors.invalidStartField(invalid);
      input[field.name] = value;
    }
    return input;
  }
}
