/** HTTP entry point: validates configuration, then serves the API. */
import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { DatabaseService } from './db/database.service';
import { ConfigError, loadConfig, type AppConfig } from './config/env';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const url = await app.getUrl();
  app
    .get(Logger)
    .log(
      `zkvm service listening on ${url} (API docs at ${url}/docs); database: ${app.get(DatabaseService).description}; ` +
        `in-process job workers: ${config.workerConcurrency}`,
      'Bootstrap',
    );
}

void bootstrap();
