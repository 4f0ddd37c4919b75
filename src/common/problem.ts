/**
 * RFC 9457 problem details. Every error response of the API has this shape and
 * the media type application/problem+json; `type` is a stable URI per kind of
 * problem that clients can switch on, `detail` a sentence for people.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HttpException } from '@nestjs/common';

export const PROBLEM_BASE = 'https://zkvm.dev/problems/';

export class ProblemDetails {
  @ApiProperty({ example: 'https://zkvm.dev/problems/invalid-elf' })
  type!: string;
  @ApiProperty({ example: 'Invalid ELF file' })
  title!: string;
  @ApiProperty({ example: 422 })
  status!: number;
  @ApiPropertyOptional({
    example: 'The file is not an ELF file: it does not start with 0x7f "ELF".',
  })
  detail?: string;
  @ApiPropertyOptional({ example: '/programs' })
  instance?: string;
  @ApiPropertyOptional({
    description: 'Machine-readable code of the failure, when there is one',
    example: 'not-elf',
  })
  code?: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'Each validation failure, for 400 responses',
  })
  errors?: string[];
}

/** An HttpException whose response is already a problem document. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    slug: string,
    title: string,
    detail?: string,
    extra: Partial<ProblemDetails> = {},
  ) {
    super({ type: PROBLEM_BASE + slug, title, status, detail, ...extra }, status);
  }

  /** Extra response headers (Retry-After, for example). */
  readonly headers: Record<string, string> = {};

  withHeader(name: string, value: string): this {
    this.headers[name] = value;
    return this;
  }
}
