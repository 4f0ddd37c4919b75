import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '../../common/pagination.dto';
import { StatementDto } from '../../common/statement.dto';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export const JOB_MODES = ['prove', 'execute'] as const;
export const INPUT_ENCODINGS = ['base64', 'hex'] as const;
export const JOB_STATUSES = [
  'queued',
  'executing',
  'folding',
  'compressing',
  'succeeded',
  'failed',
  'cancelled',
] as const;

export class ProofOptionsDto {
  @ApiPropertyOptional({
    enum: JOB_MODES,
    default: 'prove',
    description:
      '"execute" runs the VM only and reports output, exit code and cycles, without a proof',
  })
  @IsOptional()
  @IsIn(JOB_MODES)
  mode?: (typeof JOB_MODES)[number];

  @ApiPropertyOptional({
    description:
      'Stop the guest after this many cycles (the job then fails). Defaults to DEFAULT_CYCLE_LIMIT.',
    minimum: 1,
    example: 1000000,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  cycleLimit?: number;

  @ApiPropertyOptional({
    description:
      'log2 of the rows per proof segment. Default: chosen from the run length (2^k ≈ cycles / 300), ' +
      "within what the server's SRS can commit (422 above it).",
    minimum: 2,
    maximum: 20,
  })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(20)
  segmentSizeLog2?: number;
}

export class CreateProofDto {
  @ApiProperty({ format: 'uuid', description: 'The program to run (from POST /programs)' })
  @IsUUID()
  programId!: string;

  @ApiPropertyOptional({
    description:
      'Public input bytes, encoded as `inputEncoding` says. Part of the proof statement.',
    example: 'AQIDBA==',
    default: '',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512 * 1024 * 1024)
  publicInput?: string;

  @ApiPropertyOptional({
    description:
      'Private input bytes, encoded as `inputEncoding` says. Never part of the proof; erased when the job ends.',
    example: 'c2VjcmV0',
    default: '',
  })
  @IsOptional()
  @IsString()
  @MaxLength(512 * 1024 * 1024)
  privateInput?: string;

  @ApiPropertyOptional({ enum: INPUT_ENCODINGS, default: 'base64' })
  @IsOptional()
  @IsIn(INPUT_ENCODINGS)
  inputEncoding?: (typeof INPUT_ENCODINGS)[number];

  @ApiPropertyOptional({ type: ProofOptionsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProofOptionsDto)
  options?: ProofOptionsDto;
}

export class StageProgressDto {
  @ApiProperty({
    description: 'Work done in this stage (cycles for executing, segments for folding)',
    example: 3,
  })
  done!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Total work of the stage; null until known',
    example: 8,
  })
  total!: number | null;
}

export class JobProgressDto {
  @ApiProperty({ type: StageProgressDto })
  executing!: StageProgressDto;
  @ApiProperty({ type: StageProgressDto })
  folding!: StageProgressDto;
  @ApiProperty({ type: StageProgressDto })
  compressing!: StageProgressDto;
}

export class JobTimestampsDto {
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  executingAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  foldingAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  compressingAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt!: string | null;
}

export class ExecutionResultDto {
  @ApiProperty({ example: 0 })
  exitCode!: number;
  @ApiProperty({ example: 12345 })
  cycles!: number;
  @ApiProperty({ description: 'Public output bytes, hex', example: '2a000000' })
  publicOutput!: string;
  @ApiProperty({ description: 'What the guest wrote to its debug log', example: '' })
  debugLog!: string;
}

export class ProofJobOptionsDto {
  @ApiProperty({ enum: JOB_MODES })
  mode!: (typeof JOB_MODES)[number];
  @ApiProperty({ example: 16777216 })
  cycleLimit!: number;
  @ApiProperty({
    example: 6,
    nullable: true,
    type: Number,
    description:
      'As requested; null when the server chooses it (the statement then shows the choice)',
  })
  segmentSizeLog2!: number | null;
}

export class JobCheckpointDto {
  @ApiProperty({
    enum: ['executing', 'folding'],
    description:
      "The prover's stage: 'executing' once every segment is committed, then 'folding' as leaves and folds are done",
  })
  stage!: 'executing' | 'folding';
  @ApiProperty({ description: 'Steps of that stage done when it was saved', example: 40 })
  done!: number;
  @ApiProperty({ example: 79 })
  total!: number;
  @ApiProperty({ format: 'date-time' })
  savedAt!: string;
}

export class ProofJobDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ format: 'uuid' })
  programId!: string;
  @ApiProperty({ enum: JOB_STATUSES, example: 'queued' })
  status!: (typeof JOB_STATUSES)[number];
  @ApiProperty({ type: ProofJobOptionsDto })
  options!: ProofJobOptionsDto;
  @ApiProperty({ type: JobProgressDto })
  progress!: JobProgressDto;
  @ApiProperty({ type: JobTimestampsDto })
  timestamps!: JobTimestampsDto;
  @ApiProperty({ description: 'Hex of the public input', example: '01020304' })
  publicInput!: string;
  @ApiPropertyOptional({
    type: ExecutionResultDto,
    nullable: true,
    description: 'Set once the guest has run',
  })
  result!: ExecutionResultDto | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why the job failed' })
  error!: string | null;
  @ApiPropertyOptional({
    type: StatementDto,
    nullable: true,
    description: 'The public statement of the proof, once the job has proved it',
  })
  statement!: StatementDto | null;
  @ApiProperty({
    description: 'Whether GET /proofs/{id}/proof has a proof to serve',
    example: false,
  })
  hasProof!: boolean;
  @ApiProperty({ description: 'Times a worker has started this job', example: 1 })
  attempts!: number;
  @ApiPropertyOptional({
    type: JobCheckpointDto,
    nullable: true,
    description:
      "The prover's latest checkpoint while the job runs: if the attempt is interrupted, the next one resumes from here instead of starting over. Deleted when the job ends.",
  })
  checkpoint!: JobCheckpointDto | null;
}

export class ProofJobListDto {
  @ApiProperty({ type: [ProofJobDto] })
  items!: ProofJobDto[];
  @ApiProperty()
  total!: number;
  @ApiProperty()
  limit!: number;
  @ApiProperty()
  offset!: number;
}

export class ListProofsQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: (typeof JOB_STATUSES)[number];

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  programId?: string;
}

export class ProofEnvelopeDto {
  @ApiProperty({ description: 'The job that produced the proof', format: 'uuid' })
  jobId!: string;
  @ApiProperty({
    description: 'The proof bytes, base64 (the same bytes as application/octet-stream)',
    format: 'byte',
  })
  proof!: string;
  @ApiProperty({ description: 'Size of the proof in bytes', example: 9120 })
  sizeBytes!: number;
  @ApiProperty({ type: StatementDto })
  statement!: StatementDto;
}
