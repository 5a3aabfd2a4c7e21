import { createHash } from 'node:crypto';
import { WORKER_SHARED_KEY } from './int-test-environment';
import { OpenApiContract } from './openapi-contract';

export type SupertestModule = typeof import('supertest');
export type App = Parameters<SupertestModule>[0];
type Response = import('supertest').Response;
export const OPENAPI_DOCUMENT_PATH = '/api/docs-json';
const API_PREFIX = '/api/v1';

/** The document text an app serves (through the real supertest, so the fetch is never checked itself). */
export async function loadDocument(client: SupertestModule, app: App): Promise<string> {
  const res = await new client.Test(app, 'get', OPENAPI_DOCUMENT_PATH);
  if (res.status !== 200) throw new Error(`OpenAPI contract: ${OPENAPI_DOCUMENT_PATH} answered ${res.status}; cannot check API answers`);
  return res.text;
}

/** A departure from the document, as the error the request rejects with. */
export class ContractViolation extends Error {
  constructor(method: string, path: string, status: number, problems: string[]) {
    super(`OpenAPI contract: ${method.toUpperCase()} ${path} → ${status}\n - ${problems.join('\n - ')}`);
    this.name = 'ContractViolation';
  }
}

/**
 * Compiled contracts by document hash: the worker-wide map of the int tier's environment when
 * there is one (int-test-environment.ts), so each schema compiles once per worker process.
 */
function workerShared(): Map<string, OpenApiContract> {
  const shared = (globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>)[WORKER_SHARED_KEY];
  const key = 'openapi-contracts';
  if (!shared) return new Map();
  if (!shared.has(key)) shared.set(key, new Map<string, OpenApiContract>());
  return shared.get(key) as Map<string, OpenApiContract>;
}

/**
 * Checks API answers against the document of the app that gave them: fetched once per app server
 * (the app builds it lazily), one compiled contract per distinct document text.
 */
export class ApiAnswerChecker {
  private readonly byServer = new WeakMap<object, Promise<OpenApiContract>>();
  private readonly byDocument = workerShared();

  constructor(private readonly fetchDocument: (app: App) => Promise<string>) {}

  async check(app: App, method: string, url: string, response: Response): Promise<void> {
    const path = url.replace(/^https?:\/\/[^/]+/, '');
    if (path !== API_PREFIX && !path.startsWith(`${API_PREFIX}/`) && !path.startsWith(`${API_PREFIX}?`)) return;
    const contract = await this.contractFor(app);
    const problems = contract.problemsWith({
      method,
      path,
      status: response.status,
      headers: response.headers as Record<string, string | string[] | undefined>,
      body: response.body,
      text: response.text,
    });
    if (problems.length > 0) throw new ContractViolation(method, path.split('?')[0], response.status, problems);
  }

  private contractFor(app: App): Promise<OpenApiContract> {
    const key = typeof app === 'object' && app !== null ? (app as object) : null;
    const cached = key ? this.byServer.get(key) : undefined;
    if (cached) return cached;
    const loading = this.fetchDocument(app).then((text) => this.compiled(text));
    if (key) this.byServer.set(key, loading);
    return loading;
  }

  private compiled(text: string): OpenApiContract {
    const hash = createHash('sha256').update(text).digest('hex');
    let contract = this.byDocument.get(hash);
    if (!contract) {
      contract = new OpenApiContract(JSON.parse(text));
      this.byDocument.set(hash, contract);
    }
    return contract;
  }
}
