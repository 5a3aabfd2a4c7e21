import { definePlugin, DOMReadyEvent, HtmlValidate, Rule, StaticConfigLoader } from 'html-validate';

/**
 * The Nu HTML Checker's placeholder rule, which html-validate lacks: a required single-choice
 * select must start with an empty placeholder option (its first option's value is "" and it is the
 * select's own child), or nothing tells a user that no choice has been made yet.
 */
class RequiredSelectPlaceholder extends Rule {
  override documentation() {
    return {
      description: 'A required <select> without multiple and with a display size of 1 needs a placeholder option (value "") first.',
      url: 'https://html.spec.whatwg.org/multipage/form-elements.html#placeholder-label-option',
    };
  }

  override setup() {
    this.on('dom:ready', (event: DOMReadyEvent) => {
      for (const select of event.document.querySelectorAll('select[required]')) {
        if (select.hasAttribute('multiple') || Number(select.getAttributeValue('size') ?? '1') > 1) continue;
        const first = select.querySelector('option');
        if (!first) continue;
        const value = first.hasAttribute('value') ? first.getAttributeValue('value') : first.textContent;
        if (value !== '' || first.parent !== select) {
          this.report(select, 'a required <select> must start with an empty placeholder <option value="">');
        }
      }
    });
  }
}

const opsdeckRules = definePlugin({ name: 'opsdeck', rules: { 'opsdeck/required-select-placeholder': RequiredSelectPlaceholder } });

const validator = new HtmlValidate(
  new StaticConfigLoader({
    plugins: [opsdeckRules],
    extends: ['html-validate:standard'],
    rules: { 'opsdeck/required-select-placeholder': 'error' },
  }),
);

/** html-validate's standard preset plus the placeholder rule; each error as "line:column rule: message". */
export async function validateHtml(html: string): Promise<string[]> {
  const report = await validator.validateString(html, 'page.html');
  return report.results.flatMap((r) =>
    r.messages.filter((m) => m.severity === 2).map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`),
  );
}
