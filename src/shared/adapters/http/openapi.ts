import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';
const API_PREFIX = '/api/v1';

/**
 * OpenAPI for the JSON API, generated from its controllers and DTOs: the UI at /api/docs, the
 * document at /api/docs-json. Built lazily on first request, so boot (and every test app) does
 * not pay for it. Only /api/v1 routes are documented; pages and probes are not part of the API.
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
          '`{ "error": { "code", "message" } }`.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Personal API token (odk_…)' })
      .build();
    const full = SwaggerModule.createDocument(app, config);
    const paths = Object.fromEntries(Object.entries(full.paths).filter(([path]) => path.startsWith(API_PREFIX)));
    document = { ...full, paths };
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
