import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';

/** Who is calling: the owner of everything the request creates or reads. */
export interface Principal {
  /** The API key id, or "local" when authentication is off. */
  ownerId: string;
  keyPrefix: string | null;
  maxUploadBytes: number | null;
  maxCycleLimit: number | null;
  maxConcurrentJobs: number | null;
  jobsPerMinute: number | null;
}

export const LOCAL_PRINCIPAL: Principal = Object.freeze({
  ownerId: 'local',
  keyPrefix: null,
  maxUploadBytes: null,
  maxCycleLimit: null,
  maxConcurrentJobs: null,
  jobsPerMinute: null,
});

export type AuthenticatedRequest = Request & { principal?: Principal };

export const IS_PUBLIC = 'zkvm:isPublic';
/** Marks a controller or route as reachable without an API key. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** The caller of the current request (set by AuthGuard). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    return req.principal ?? LOCAL_PRINCIPAL;
  },
);
