/**
 * `supertest` as the int tier sees it (jest.config.js maps the module name here): the same API,
 * except that every answer of the JSON API (/api/v1) is checked against the OpenAPI document the
 * app under test serves at /api/docs-json, and a departure fails the request — so the test that
 * made it fails, whatever it asserted. A new route, status, code or field the document does not
 * describe therefore fails CI instead of reaching clients generated from the document.
 *
 * The document is fetched once per app server and compiled lazily, once per operation and status
 * (openapi-answer-checker.ts).
 */
import { ApiAnswerChecker, App, loadDocument, SupertestModule } from './openapi-answer-checker';

// The real module by file name: the module name `supertest` itself resolves to this file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const real: SupertestModule = require('supertest/index.js');
type Response = import('supertest').Response;
type Callback = (error: Error | null, response: Response) => void;

const checker = new ApiAnswerChecker((app) => loadDocument(real, app));

class ContractTest extends real.Test {
  constructor(
    private readonly target: App,
    private readonly verb: string,
    path: string,
  ) {
    super(target, verb, path);
  }

  // supertest runs its own assertions here; the contract is checked after them, so a wrong
  // status a test expected is reported as such, and a conforming answer reaches the test unchanged.
  assert(resError: Error | null, res: Response, fn?: Callback): void {
    const next: Callback = (error, response) => {
      if (error || !response) return fn?.call(this, error, response);
      checker.check(this.target, this.verb, this.url, response).then(
        () => fn?.call(this, null, response),
        (violation: Error) => fn?.call(this, violation, response),
      );
    };
    (real.Test.prototype as unknown as { assert: (e: Error | null, r: Response, f: Callback) => void }).assert.call(
      this,
      resError,
      res,
      next,
    );
  }
}

const METHODS = Object.keys(real({} as App)).filter((m) => m !== 'del');

function contractRequest(app: App): ReturnType<SupertestModule> {
  const client = {} as Record<string, (url: string) => ContractTest>;
  for (const method of METHODS) client[method] = (url: string) => new ContractTest(app, method, url);
  client.del = client.delete;
  return client as unknown as ReturnType<SupertestModule>;
}

contractRequest.Test = ContractTest;
contractRequest.agent = real.agent;

export = contractRequest;
