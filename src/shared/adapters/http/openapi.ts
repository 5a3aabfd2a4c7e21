import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { finishOpenApiDocument } from './openapi-document';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';
const API_PREFIX = '/api/v1';

/**
 * OpenAPI for the JSON API, generated from its controllers and DTOs: the UI at /api/docs, the
 * document at /api/docs-json. Built lazily on first request, so boot (and every test app) does
 * not pay for it. Only /api/v1 routes are documented; pages and probes are not part of the API
 * (finishOpenApiDocument). The e2e tier checks every API answer it receives against this document.
 */
export function setupOpenApi(app: INestApplication): void {
  if (!hasHttpAdapter(app)) return;
  let document: OpenAPIObject | null = null;
  const build = (): OpenAPIObject => {
    if (document) return document;
    const config = new DocumentBuilder()
      .setTitle('Opsdeck API')
      .setDescription(
        'Operation runs and tenancy over JSON. Authenticate with a personal API token ' +
          '(`Authorization: Bearer odk_…`). Workspaces and environments you may not see answer 404 ' +
          'exactly like ones that do not exist; in scope without the capability answers 403. Errors are ' +
          '`{ "error": { "code", "message" } }`; each response lists the codes its operation can answer. ' +
          'Answers carry tenant data and are sent with `Cache-Control: no-store`.',
      )
      .setVersion('1')
      // Relative: the API is served by whichever host serves this document (no deployment URL baked in).
      .addServer('/', 'This Opsdeck instance')
      // Not addBearerAuth(): it labels the scheme JWT, and personal tokens are opaque random strings.
      .addSecurity('bearer', { type: 'http', scheme: 'bearer', description: 'Personal API token (odk_…), opaque; create one on the /account page, with POST /api/v1/me/tokens or `cli token:create`' })
      .addTag('identity', 'The token\'s user, their personal API tokens, and the workspaces and environments they may see')
      .addTag('operations', 'Operation runs: start, list with tab counts, read one')
      .addTag('baselines', 'Baseline profiles and drift findings')
      .addTag('environment reviews', 'Governance reviews of one environment and period')
      .addTag('audit', 'The append-only audit log')
      .build();
    document = finishOpenApiDocument(SwaggerModule.createDocument(app, config), API_PREFIX);
    return document;
  };
  SwaggerModule.setup(OPENAPI_UI_PATH, app, build, { jsonDocumentUrl: OPENAPI_JSON_PATH, yamlDocumentUrl: 'api/docs-yaml' });
}

function hasHttpAdapter(app: INestApplication): boolean {
  try {
    return !!app.getHttpAdapter?.()?.getInstance?.();
  } catch {
    return false;
  }
}
