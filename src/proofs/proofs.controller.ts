import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
  ApiBearerAuth,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ProblemDetails } from '../common/problem';
import {
  CreateProofDto,
  ListProofsQueryDto,
  ProofEnvelopeDto,
  ProofJobDto,
  ProofJobListDto,
} from './dto/proof-job.dto';
import { ProofsService } from './proofs.service';
import { CurrentPrincipal, type Principal } from '../auth/principal';

@ApiTags('proofs')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@ApiUnauthorizedResponse({ type: ProblemDetails, description: 'Missing or invalid API key' })
@Controller('proofs')
export class ProofsController {
  constructor(private readonly proofs: ProofsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    operationId: 'createProof',
    summary: 'Start a job that runs (and proves) a program on inputs',
    description:
      'Queues a job and answers at once with its id and a Location header; poll GET /proofs/{id}. ' +
      'The private input is stored only while the job runs and erased when it ends.',
  })
  @ApiAcceptedResponse({ type: ProofJobDto, description: 'Queued' })
  @ApiBadRequestResponse({ type: ProblemDetails })
  @ApiPayloadTooLargeResponse({
    type: ProblemDetails,
    description: 'An input is larger than MAX_INPUT_BYTES',
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetails,
    description: 'Unknown program, or limits exceeded',
  })
  @ApiTooManyRequestsResponse({
    type: ProblemDetails,
    description:
      'The API key has too many jobs queued or running, or started too many in the last minute (see Retry-After)',
  })
  async create(
    @Body() dto: CreateProofDto,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProofJobDto> {
    const job = await this.proofs.create(principal, dto);
    res.location(`/proofs/${job.id}`);
    return job;
  }

  @Get()
  @ApiOperation({
    operationId: 'listProofs',
    summary: 'List proof jobs, newest first, with filters',
  })
  @ApiOkResponse({ type: ProofJobListDto })
  @ApiBadRequestResponse({ type: ProblemDetails })
  list(
    @Query() q: ListProofsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProofJobListDto> {
    return this.proofs.list(principal.ownerId, {
      status: q.status,
      programId: q.programId,
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
  }

  @Get(':id')
  @ApiOperation({
    operationId: 'getProof',
    summary: 'Status, progress, timestamps and result of a proof job',
  })
  @ApiOkResponse({ type: ProofJobDto })
  @ApiBadRequestResponse({ type: ProblemDetails, description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProofJobDto> {
    return this.proofs.get(principal.ownerId, id);
  }

  @Get(':id/proof')
  @ApiOperation({
    operationId: 'getProofBytes',
    summary: 'Download the proof of a succeeded job',
    description:
      'With `Accept: application/octet-stream` the raw proof bytes; otherwise a JSON envelope with the proof in ' +
      'base64 and the readable statement. Either can be given to POST /verify.',
  })
  @ApiProduces('application/json', 'application/octet-stream')
  @ApiOkResponse({
    type: ProofEnvelopeDto,
    description: 'The proof (JSON envelope, or raw bytes by Accept header)',
  })
  @ApiNotFoundResponse({
    type: ProblemDetails,
    description: 'No such job, or it has no proof (yet)',
  })
  async getProof(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ProofEnvelopeDto | StreamableFile> {
    const { bytes, statement } = await this.proofs.proof(principal.ownerId, id);
    if (
      req.accepts(['application/json', 'application/octet-stream']) === 'application/octet-stream'
    ) {
      res.setHeader('Content-Disposition', `attachment; filename="${id}.zkproof"`);
      return new StreamableFile(Buffer.from(bytes), {
        type: 'application/octet-stream',
        length: bytes.length,
      });
    }
    return {
      jobId: id,
      proof: Buffer.from(bytes).toString('base64'),
      sizeBytes: bytes.length,
      statement,
    };
  }

  @Delete(':id')
  @ApiOperation({
    operationId: 'cancelProof',
    summary: 'Cancel a queued or running job',
    description:
      'A queued job is cancelled at once; a running one stops within seconds (status shows it).',
  })
  @ApiOkResponse({ type: ProofJobDto })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiConflictResponse({ type: ProblemDetails, description: 'The job already succeeded or failed' })
  cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProofJobDto> {
    return this.proofs.cancel(principal.ownerId, id);
  }
}
