/**
 * Builds the HTTP application; shared by main.ts, the OpenAPI generator and the
 * e2e tests, so all three see the same routes, limits and error handling.
 */
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { NextFunction, Request, Response } from 'express';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/env';
import { ProblemFilter, toProblem } from './common/problem.filter';
import { buildOpenApiDocument } from './openapi';
import { jsonDepthGuard } from './common/json-depth';

export interface CreateAppOptions {
  /** Buffer Nest's own bootstrap logs instead of printing them (tests, tools). */
  quiet?: boolean;
  /** Where the JSON log lines go (default stdout). */
  logStream?: DestinationStream;
}

/** The largest request head (request line and headers) the server accepts: 64 KiB. */
export const MAX_URL_HEADER_BYTES = 64 * 1024;

export async function createApp(
  config: AppConfig,
  opts: CreateAppOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, opts.logStream),
    {
      bufferLogs: true,
      bodyParser: false,
      abortOnError: false,
      logger: opts.quiet ? false : undefined,
    },
  );
  app.useLogger(app.get(Logger));
  // The largest JSON body: a base64 ELF or proof (4/3 of its size), or two hex
  // inputs (twice theirs); leave room for the other fields.
  const jsonLimit =
    Math.max(
      Math.ceil((config.maxProgramBytes * 4) / 3),
      Math.ceil((config.maxProofBytes * 4) / 3),
      4 * config.maxInputBytes,
    ) +
    64 * 1024;
  app.useBodyParser('json', { limit: jsonLimit });
  // Binary proofs for POST /verify; larger ones are refused before any decoding.
  app.useBodyParser('raw', { type: 'application/octet-stream', limit: config.maxProofBytes });
  app.use(jsonDepthGuard());
  app.useGlobalPipes(
    new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }),
  );
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
  await app.init();
  // GET /verify carries a whole proof in its URL: a small program's proof is 10–20 KB, a third
  // more in base64url, past Node's default 16 KiB header limit. The server reads this per
  // connection, so it can be raised after the server exists.
  (app.getHttpServer() as { maxHeaderSize?: number }).maxHeaderSize = MAX_URL_HEADER_BYTES;
  // Errors raised by body parsing happen before Nest's router; answer them as problems too.
  app.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const problem = toProblem(err, req.originalUrl.split('?')[0]);
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });
  return app;
}
