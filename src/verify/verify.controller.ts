import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Public } from '../auth/principal';
import { ProblemDetails } from '../common/problem';
import { VerifyQueryDto, VerifyRequestDto, VerifyResponseDto } from './dto/verify.dto';
import { VerifyService } from './verify.service';

function decodeBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

@ApiTags('verify')
@Public()
@ApiExtraModels(VerifyRequestDto)
@Controller('verify')
export class VerifyController {
  constructor(private readonly verifier: VerifyService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'verifyProof',
    summary: 'Verify a proof (stateless; no API key needed)',
    description:
      'Send the proof as the raw body (application/octet-stream; expected values then go in the query string) ' +
      'or as JSON {proof: base64, expected?}. Any bytes get an answer: valid, or invalid with the reason. ' +
      'Reads no database: the same proof gets the same answer on any server with the same SRS.',
  })
  @ApiConsumes('application/json', 'application/octet-stream')
  @ApiBody({
    schema: {
      oneOf: [{ $ref: getSchemaPath(VerifyRequestDto) }, { type: 'string', format: 'binary' }],
    },
  })
  @ApiOkResponse({ type: VerifyResponseDto })
  @ApiBadRequestResponse({
    type: ProblemDetails,
    description: 'Malformed request (not a proof problem: those are valid=false)',
  })
  @ApiPayloadTooLargeResponse({
    type: ProblemDetails,
    description: 'Proof larger than MAX_PROOF_BYTES',
  })
  async verifyPost(
    @Req() req: Request,
    @Body() body: unknown,
    @Query() query: Record<string, string>,
  ): Promise<VerifyResponseDto> {
    if (req.is('application/octet-stream')) {
      if (!Buffer.isBuffer(body))
        throw new BadRequestException('Send the proof bytes as the request body.');
      const expected = plainToInstance(VerifyQueryDto, { ...query, proof: '' });
      const errors = validateSync(expected, {
        whitelist: true,
        forbidNonWhitelisted: true,
      }).flatMap((e) => Object.values(e.constraints ?? {}));
      if (errors.length) throw new BadRequestException(errors);
      return this.verifier.verify(new Uint8Array(body), expected);
    }
    if (req.is('application/json')) {
      const dto = plainToInstance(VerifyRequestDto, body ?? {});
      const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }).flatMap(
        (e) => Object.values(e.constraints ?? {}),
      );
      if (errors.length) throw new BadRequestException(errors);
      return this.verifier.verify(decodeBase64(dto.proof), dto.expected ?? {});
    }
    throw new BadRequestException(
      'Send the proof as application/octet-stream or as JSON {"proof": "<base64>"}.',
    );
  }

  @Get()
  @ApiOperation({
    operationId: 'verifyProofFromUrl',
    summary:
      'Verify a proof given in the URL (base64url), for proofs small enough to share as a link',
  })
  @ApiOkResponse({ type: VerifyResponseDto })
  @ApiBadRequestResponse({ type: ProblemDetails })
  verifyGet(@Query() q: VerifyQueryDto): Promise<VerifyResponseDto> {
    return this.verifier.verify(decodeBase64(q.proof), q);
  }
}
