import { validateHtml } from '../support/html-validity';

const page = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><main>${body}</main></body></html>`;
const select = (options: string, attrs = 'required') =>
  page(`<label for="s">Profile</label><select id="s" name="s" ${attrs}>${options}</select>`);

describe('validateHtml (html-validate standard + the Nu checker placeholder rule)', () => {
  it('accepts a required select that starts with an empty placeholder', async () => {
    await expect(validateHtml(select('<option value="">Choose…</option><option value="a" selected>A</option>'))).resolves.toEqual([]);
  });

  it('reports a required select whose first option is a real (even disabled) value', async () => {
    const errors = await validateHtml(select('<option value="a" disabled>A (no snapshot yet)</option><option value="b">B</option>'));
    expect(errors).toEqual([expect.stringContaining('opsdeck/required-select-placeholder')]);
  });

  it('reports a placeholder hidden inside an optgroup, and leaves multiple or optional selects alone', async () => {
    await expect(validateHtml(select('<optgroup label="g"><option value="">-</option></optgroup>'))).resolves.toEqual([
      expect.stringContaining('opsdeck/required-select-placeholder'),
    ]);
    await expect(validateHtml(select('<option value="a">A</option>', 'required multiple'))).resolves.toEqual([]);
    await expect(validateHtml(select('<option value="a">A</option>', ''))).resolves.toEqual([]);
  });

  it("keeps html-validate's standard rules: aria-labelledby on a <p> is an error", async () => {
    const errors = await validateHtml(page('<h2 id="h">Kinds</h2><p aria-labelledby="h">x</p>'));
    expect(errors).toEqual([expect.stringContaining('aria-label-misuse')]);
  });
});
