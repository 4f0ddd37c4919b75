/**
 * Refuses JSON bodies nested deeper than any request of this API needs. A
 * 100 000-deep array parses fine, but recursive code downstream (validation,
 * transformation) would overflow the stack on it; measuring depth here, with an
 * explicit stack, turns that into a clear 400 before anything recursive runs.
 */
import type { NextFunction, Request, Response } from 'express';

export const MAX_JSON_DEPTH = 32;

export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

export function jsonDepthGuard(max = MAX_JSON_DEPTH) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (
      req.body !== undefined &&
      typeof req.body === 'object' &&
      !Buffer.isBuffer(req.body) &&
      jsonDepthExceeds(req.body, max)
    ) {
      res
        .status(400)
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: 'https://zkvm.dev/problems/bad-request',
            title: 'Bad request',
            status: 400,
            detail: `The JSON body is nested deeper than ${max} levels.`,
            instance: req.originalUrl.split('?')[0],
          }),
        );
      return;
    }
    next();
  };
}
