/**
 * API keys: creation, lookup and revocation. A key is 32 random bytes,
 * base64url-encoded behind the prefix "zkvm_"; only its SHA-256 is stored.
 * A fast hash is enough here (unlike passwords): the keys are uniformly random
 * 256-bit secrets, so a stolen hash cannot be brute-forced back into a key.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey, PrismaClient } from '../generated/prisma/client';

export const KEY_PREFIX = 'zkvm_';
const KEY_PATTERN = /^zkvm_[A-Za-z0-9_-]{43}$/;

export interface KeyQuotas {
  maxUploadBytes?: number | null;
  maxCycleLimit?: number | null;
  maxConcurrentJobs?: number | null;
  jobsPerMinute?: number | null;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

export interface CreatedKey {
  key: string;
  record: ApiKey;
}

export async function createApiKey(
  prisma: PrismaClient,
  name: string,
  quotas: KeyQuotas = {},
): Promise<CreatedKey> {
  const key = generateKey();
  const record = await prisma.apiKey.create({
    data: {
      name,
      prefix: key.slice(0, KEY_PREFIX.length + 6),
      hash: hashKey(key),
      maxUploadBytes: quotas.maxUploadBytes ?? null,
      maxCycleLimit: quotas.maxCycleLimit == null ? null : BigInt(quotas.maxCycleLimit),
      maxConcurrentJobs: quotas.maxConcurrentJobs ?? null,
      jobsPerMinute: quotas.jobsPerMinute ?? null,
    },
  });
  return { key, record };
}

/** The active key a presented token belongs to, or null (unknown, malformed or revoked). */
export async function findActiveKey(prisma: PrismaClient, token: string): Promise<ApiKey | null> {
  if (!KEY_PATTERN.test(token)) return null;
  const record = await prisma.apiKey.findUnique({ where: { hash: hashKey(token) } });
  if (!record || record.revokedAt) return null;
  return record;
}

/** Revokes by id or by the displayed prefix; returns the revoked keys. */
export async function revokeApiKey(prisma: PrismaClient, idOrPrefix: string): Promise<ApiKey[]> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrPrefix);
  const where = isUuid ? { id: idOrPrefix } : { prefix: idOrPrefix };
  const matches = await prisma.apiKey.findMany({ where: { ...where, revokedAt: null } });
  if (matches.length === 0) return [];
  await prisma.apiKey.updateMany({
    where: { id: { in: matches.map((k) => k.id) } },
    data: { revokedAt: new Date() },
  });
  return matches;
}

export function listApiKeys(prisma: PrismaClient): Promise<ApiKey[]> {
  return prisma.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
}
