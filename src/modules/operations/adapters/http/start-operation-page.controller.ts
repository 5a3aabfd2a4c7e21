import { Body, Controller, Inject, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Authenticated, CurrentAccess, RequestAccess } from '../../../web/adapters/http/route-access';
import { sanitizeNextPath } from '../../../rbac/core/next-path';
import { StartOperation } from '../../application/start-operation.use-case';
import { OperationErrors } from '../../core/operations-errors';
import { StartFormRegistry } from '../../core/start-form';
import { withStartFeedback } from './start-feedback-url';
import { routes } from '../../../../shared/core/routes';

const TYPE_PATTERN = /^[a-z][a-z0-9_.]{0,99}$/;

/**
 * The start forms of every page post here: the same use case as the API (scope, capability,
 * dedupe, audit), then back to the page with the run to announce ("… queued — View run"). The
 * input is the posted values of the fields start forms register (checked by their kind); the
 * type's handler decides whether it takes them.
 */
@Controller()
@Authenticated()
export class StartOperationPageController {
  constructor(
    @Inject(StartOperation) private readonly startOperation: StartOperation,
    @Inject(StartFormRegistry) private readonly forms: StartFormRegistry,
  ) {}

  @Post('w/:workspace/e/:environment/operations')
  async start(
    @CurrentAccess() caller: RequestAccess,
    @Param('workspace') workspace: string,
    @Param('environment') environment: string,
    @Body() form: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const type = typeof form?.type === 'string' ? form.type.trim() : '';
    if (!TYPE_PATTERN.test(type)) throw OperationErrors.startTypeMissing();
    const input = this.forms.inputFrom(form);
    const { run, created } = await this.startOperation.execute(caller, { workspaceSlug: workspace, environmentSlug: environment, type, input });
    const fallback = routes.environment(workspace, environment);
    const back = form.return_to === undefined ? fallback : sanitizeNextPath(form.return_to);
    res.redirect(303, withStartFeedback(back, run.id, created));
  }
}
