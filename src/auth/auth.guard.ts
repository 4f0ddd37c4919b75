/**
 * Authenticates every request that is not marked @Public(): the API key comes
 * as `Authorization: Bearer <key>` or `x-api-key: <key>`. A missing, malformed,
 * unknown or revoked key gets 401 with a problem document; nothing about which
 * of these it was is revealed.
 */
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/env';
import { ProblemException } from '../common/problem';
import { DatabaseService } from '../db/database.service';
import { findActiveKey } from './api-keys';
import { IS_PUBLIC, LOCAL_PRINCIPAL, type AuthenticatedRequest } from './principal';

function presentedKey(req: AuthenticatedRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (m) return m[1];
  }
  const x = req.headers['x-api-key'];
  if (typeof x === 'string' && x.trim() !== '') return x.trim();
  return null;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly db: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private readonly lastTouched = new Map<string, number>();

  /** Records when a key was last used, at most once a minute per key per process. */
  private touch(id: string): void {
    const now = Date.now();
    if ((this.lastTouched.get(id) ?? 0) > now - 60_000) return;
    this.lastTouched.set(id, now);
    void this.db.prisma.apiKey
      .update({ where: { id }, data: { lastUsedAt: new Date(now) } })
      .catch(() => undefined);
  }

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.config.authMode === 'none') {
      req.principal = LOCAL_PRINCIPAL;
      return true;
    }
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (isPublic) return true;
    const token = presentedKey(req);
    if (!token) {
      throw new ProblemException(
        401,
        'unauthorized',
        'Unauthorized',
        'This endpoint needs an API key: send "Authorization: Bearer <key>" or "x-api-key: <key>".',
      );
    }
    const key = await findActiveKey(this.db.prisma, token);
    if (!key) {
      throw new ProblemException(401, 'unauthorized', 'Unauthorized', 'The API key is not valid.');
    }
    this.touch(key.id);
    req.principal = {
      ownerId: key.id,
      keyPrefix: key.prefix,
      maxUploadBytes: key.maxUploadBytes,
      maxCycleLimit: key.maxCycleLimit === null ? null : Number(key.maxCycleLimit),
      maxConcurrentJobs: key.maxConcurrentJobs,
      jobsPerMinute: key.jobsPerMinute,
    };
    return true;
  }
}
