/**
 * Builds the OpenAPI document from the code without opening a database (the
 * database connects only on application init), for `npm run openapi` and the
 * test that keeps openapi/openapi.json in step with the code.
 */
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { loadConfig } from './config/env';
import { buildOpenApiDocument, serializeOpenApi } from './openapi';

export async function generateOpenApiJson(): Promise<string> {
  const config = loadConfig({ ZKVM_DATA_DIR: ':memory:', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(AppModule.forRoot(config), {
    logger: false,
    abortOnError: false,
  });
  try {
    return serializeOpenApi(buildOpenApiDocument(app));
  } finally {
    await app.close();
  }
}
