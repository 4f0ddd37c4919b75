import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApiJson } from '../src/openapi-document';

describe('openapi/openapi.json', () => {
  it('is exactly what the code generates (run `npm run openapi` after changing the API)', async () => {
    const committed = readFileSync(join(__dirname, '..', 'openapi', 'openapi.json'), 'utf8');
    const generated = await generateOpenApiJson();
    expect(committed).toBe(generated);
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
