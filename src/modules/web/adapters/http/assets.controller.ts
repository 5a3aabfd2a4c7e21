import { Controller, Get, Inject, NotFoundException, OnModuleInit, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppConfig } from '../../../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../../../shared/adapters/config/app-config.token';

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** The console's own CSS and JS (views/assets), read once at boot: no CDN, no file-system paths from URLs. */
@Controller('assets')
export class AssetsController implements OnModuleInit {
  private readonly files = new Map<string, { type: string; body: Buffer }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    const dir = path.join(this.config.projectRoot, 'views', 'assets');
    if (!fs.existsSync(dir)) return;
    for (const name of fs.readdirSync(dir)) {
      const type = TYPES[path.extname(name)];
      if (type) this.files.set(name, { type, body: fs.readFileSync(path.join(dir, name)) });
    }
  }

  @Get(':name')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const file = this.files.get(name);
    if (!file) throw new NotFoundException();
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type(file.type).send(file.body);
  }
}
