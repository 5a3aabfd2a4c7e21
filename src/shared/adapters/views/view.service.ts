import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import Handlebars from 'handlebars';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';
import { registerViewHelpers } from './view-helpers';

type Template = Handlebars.TemplateDelegate;

/**
 * Compiles every template under views/ once at boot, so a broken template stops the app
 * instead of a page. Controllers pass plain view models; `{{…}}` escapes all user text.
 */
@Injectable()
export class ViewService implements OnModuleInit {
  private readonly hbs = Handlebars.create();
  private readonly templates = new Map<string, Template>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    registerViewHelpers(this.hbs);
    const root = path.join(this.config.projectRoot, 'views');
    for (const file of listTemplates(root)) {
      const name = path.relative(root, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
      const source = fs.readFileSync(file, 'utf8');
      if (name.startsWith('partials/')) this.hbs.registerPartial(name.slice('partials/'.length), source);
      else this.templates.set(name, this.hbs.compile(source, { strict: false }));
    }
    // Compile lazily-compiled templates now so syntax errors surface at boot.
    for (const template of this.templates.values()) template({});
  }

  render(name: string, model: Record<string, unknown>, layout = 'layouts/main'): string {
    const body = this.require(name)(model);
    return this.require(layout)({ ...model, body });
  }

  /** A template without the layout: the partial responses that polling swaps into a page. */
  renderFragment(name: string, model: Record<string, unknown>): string {
    return this.require(name)(model);
  }

  private require(name: string): Template {
    const template = this.templates.get(name);
    if (!template) throw new Error(`Unknown view "${name}"`);
    return template;
  }
}

function listTemplates(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTemplates(full);
    return entry.name.endsWith('.hbs') ? [full] : [];
  });
}
