import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApiJson } from '../src/openapi-document';

describe('openapi/openapi.json', () => {
  it('is exactly what the code generates (run `npm run openapi` after changing the API)', async () => {
    const committed = readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8');
    const generated = await generateOpenApiJson();
    expect(committed).toBe(generated);
  });

  it('documents, for every operation, its success body and its error responses as problem documents', async () => {
    type Media = Record<string, { schema?: { $ref?: string } & Record<string, unknown> }>;
    interface Op {
      operationId: string;
      requestBody?: { content: Media };
      responses: Record<string, { description?: string; content?: Media }>;
    }
    const doc = JSON.parse(await generateOpenApiJson()) as {
      paths: Record<string, Record<string, Op>>;
    };
    const problems: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path} (${op.operationId})`;
        const codes = Object.keys(op.responses);
        const ok = codes.filter((c) => c.startsWith('2'));
        if (ok.length === 0) problems.push(`${where}: no success response`);
        for (const c of ok) {
          if (c !== '204' && !op.responses[c].content)
            problems.push(`${where}: ${c} has no body schema`);
        }
        const errors = codes.filter((c) => /^[45]/.test(c));
        if (path !== '/health' && errors.length === 0)
          problems.push(`${where}: no error response documented`);
        for (const c of errors) {
          const ref = op.responses[c].content?.['application/json']?.schema?.$ref;
          if (ref !== '#/components/schemas/ProblemDetails')
            problems.push(`${where}: ${c} is not a ProblemDetails`);
        }
        if (['post', 'put', 'patch'].includes(method) && !op.requestBody?.content) {
          problems.push(`${where}: no request body schema`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every operation an operationId and a summary', async () => {
    const doc = JSON.parse(await generateOpenApiJson()) as {
      paths: Record<string, Record<string, { operationId?: string; summary?: string }>>;
    };
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) {
      expect(op.operationId).toEqual(expect.any(String));
      expect(op.summary).toEqual(expect.any(String));
    }
  });
});
