/** HTTP entry point: validates configuration, then serves the API. */
import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { createApiKey } from './auth/api-keys';
import { loadConfigOrExit } from './config/env';
import { DatabaseService } from './db/database.service';
import { describeSrs } from './jobs/srs';
import { VerifyService } from './verify/verify.service';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp(config);
  const log = app.get(Logger);
  const db = app.get(DatabaseService);

  let firstKey: string | null = null;
  if (config.authMode === 'apikey' && config.database.kind === 'embedded') {
    // A newcomer's first start on the embedded database: make one key so the
    // API can be used at once, and show it once (it is stored only as a hash).
    if ((await db.prisma.apiKey.count()) === 0) {
      firstKey = (await createApiKey(db.prisma, 'first-start')).key;
    }
  }

  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  log.log(
    `zkvm service listening on ${url} (API docs at ${url}/docs); database: ${db.description}; ` +
      `in-process job workers: ${config.workerConcurrency}`,
    'Bootstrap',
  );
  const authLine =
    config.authMode === 'apikey'
      ? 'authentication: API keys required (Authorization: Bearer <key> or x-api-key); manage them with `npm run keys`'
      : 'authentication: OFF (AUTH_MODE=none) — anyone who can reach this port can use it; for local use only';
  log.log(authLine, 'Bootstrap');
  console.log(authLine);
  const srsLine = `proofs: ${describeSrs(config.srs)}`;
  log.log(srsLine, 'Bootstrap');
  console.log(srsLine);
  const t0 = Date.now();
  app
    .get(VerifyService)
    .warmUp()
    .then(
      () => log.log(`SRS verifier key ready in ${Date.now() - t0} ms`, 'Bootstrap'),
      (err: unknown) => log.error(`could not load the SRS: ${String(err)}`, 'Bootstrap'),
    );
  if (firstKey) {
    console.log(
      `first start: created the API key below; it is shown only this once:\n\n  ${firstKey}\n`,
    );
  }
}

void bootstrap();
