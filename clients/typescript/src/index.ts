/**
 * The zkVM proving service client: openapi-fetch typed by the generated
 * `schema.d.ts` (regenerate with `npm run clients`), plus the API key header.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths } from './schema';
export type Program = components['schemas']['ProgramDto'];
export type ProofJob = components['schemas']['ProofJobDto'];
export type Problem = components['schemas']['ProblemDetails'];

export interface ZkvmClientOptions extends ClientOptions {
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; omit against a server with AUTH_MODE=none. */
  apiKey?: string;
}

export type ZkvmClient = Client<paths>;

export function createZkvmClient({ apiKey, headers, ...rest }: ZkvmClientOptions): ZkvmClient {
  return createClient<paths>({
    ...rest,
    headers: {
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...(headers as Record<string, string>),
    },
  });
}
