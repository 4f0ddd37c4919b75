import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as prettier from 'prettier';

const ROOT = join(__dirname, '..');

describe('clients/typescript', () => {
  it('is generated from the committed openapi/openapi.json (run `npm run clients` after `npm run openapi`)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zkvm-client-'));
    try {
      const out = join(dir, 'schema.d.ts');
      execFileSync(
        join(ROOT, 'node_modules', '.bin', 'openapi-typescript'),
        [join(ROOT, 'openapi', 'openapi.json'), '--default-non-nullable', 'false', '-o', out],
        { stdio: 'pipe' },
      );
      const committedPath = join(ROOT, 'clients', 'typescript', 'src', 'schema.d.ts');
      const options = (await prettier.resolveConfig(committedPath)) ?? {};
      const generated = await prettier.format(readFileSync(out, 'utf8'), {
        ...options,
        filepath: committedPath,
      });
      expect(readFileSync(committedPath, 'utf8')).toBe(generated);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
