/**
 * Turns every exception into an RFC 9457 problem+json response. Known HTTP errors
 * keep their status; anything else is a 500 whose details go to the log, not to
 * the client.
 */
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { PROBLEM_BASE, ProblemException, type ProblemDetails } from './problem';

const SLUGS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  429: 'too-many-requests',
  500: 'internal-error',
  503: 'unavailable',
};

function titleFor(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name
    ? name
        .toLowerCase()
        .replace(/_/g, ' ')
        .replace(/^./, (c) => c.toUpperCase())
    : 'Error';
}

export function toProblem(exception: unknown, instance: string): ProblemDetails {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    if (typeof body === 'object' && body !== null && 'type' in body && 'title' in body) {
      return { ...(body as ProblemDetails), instance };
    }
    const title = titleFor(status);
    let detail: string | undefined;
    let errors: string[] | undefined;
    if (typeof body === 'string') detail = body;
    else if (typeof body === 'object' && body !== null) {
      const msg = (body as { message?: unknown }).message;
      if (Array.isArray(msg)) {
        errors = msg.map(String);
        detail = errors.join('; ');
      } else if (typeof msg === 'string') detail = msg;
    }
    return {
      type: PROBLEM_BASE + (SLUGS[status] ?? `http-${status}`),
      title,
      status,
      detail,
      instance,
      ...(errors ? { errors } : {}),
    };
  }
  // body-parser and other middleware errors carry a status and an expose flag.
  const e = exception as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
    message?: unknown;
    type?: unknown;
  };
  const status =
    typeof e?.status === 'number'
      ? e.status
      : typeof e?.statusCode === 'number'
        ? e.statusCode
        : 500;
  if (status >= 400 && status < 500 && e.expose !== false) {
    const detail =
      e.type === 'entity.too.large'
        ? 'The request body is larger than this server accepts.'
        : typeof e.message === 'string'
          ? e.message
          : undefined;
    return {
      type: PROBLEM_BASE + (SLUGS[status] ?? `http-${status}`),
      title: titleFor(status),
      status,
      detail,
      instance,
    };
  }
  return {
    type: PROBLEM_BASE + 'internal-error',
    title: 'Internal server error',
    status: 500,
    detail: 'The server failed to handle the request.',
    instance,
  };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const problem = toProblem(exception, req.originalUrl?.split('?')[0] ?? req.url);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, path: req.url }, 'request failed');
    }
    if (exception instanceof ProblemException) {
      for (const [name, value] of Object.entries(exception.headers)) res.setHeader(name, value);
    }
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="zkvm"');
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
