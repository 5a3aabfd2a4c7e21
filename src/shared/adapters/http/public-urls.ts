import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config.token';

/**
 * Links that leave the browser — an invitation sent by email or chat, the first-run setup link in
 * a boot log — must work wherever they are opened: under PUBLIC_URL they are whole URLs. Without
 * it they stay paths (the app cannot know the address it is reached at behind a proxy).
 */
@Injectable()
export class PublicUrls {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** `path` (starting with "/") under PUBLIC_URL, or `fallbackBase`, or as it is. */
  of(path: string, fallbackBase?: string): string {
    const base = this.config.publicUrl ?? fallbackBase?.replace(/\/+$/, '');
    return base ? `${base}${path}` : path;
  }
}
