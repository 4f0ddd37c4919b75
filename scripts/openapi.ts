// `npm run openapi`: regenerates openapi/openapi.json from the code.
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApiJson } from '../src/openapi-document';

generateOpenApiJson().then(
  (json) => {
    const out = join(__dirname, '..', 'openapi', 'openapi.json');
    mkdirSync(join(__dirname, '..', 'openapi'), { recursive: true });
    writeFileSync(out, json);
    console.log(`wrote ${out}`);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
