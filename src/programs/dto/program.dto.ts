import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '../../common/pagination.dto';
import { IsBase64, IsIn, IsOptional, IsString, Length, ValidateIf } from 'class-validator';

export const PROGRAM_FORMATS = ['elf', 'asm'] as const;
export type ProgramFormat = (typeof PROGRAM_FORMATS)[number];

export class CreateProgramJsonDto {
  @ApiPropertyOptional({
    description:
      'The RISC-V RV32IM ELF executable, base64-encoded. Exactly one of elf and assembly.',
    example: 'f0VMRgEBAQAAAAAAAAAAAAIA8wABAAAA...',
    format: 'byte',
  })
  @ValidateIf((o: CreateProgramJsonDto) => o.assembly === undefined || o.elf !== undefined)
  @IsString()
  @IsBase64({}, { message: 'elf must be base64-encoded' })
  elf?: string;

  @ApiPropertyOptional({
    description:
      'RV32IM assembly source text, assembled by the service. Exactly one of elf and assembly.',
    example: '.text\n  li a0, 0\n  li a7, 93\n  ecall\n',
  })
  @ValidateIf((o: CreateProgramJsonDto) => o.elf === undefined || o.assembly !== undefined)
  @IsString()
  assembly?: string;

  @ApiPropertyOptional({
    description: 'A human-readable name',
    example: 'fibonacci',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

/** Form fields that accompany a multipart upload (the file itself is the `file` part). */
export class CreateProgramFormDto {
  @IsOptional()
  @IsIn(PROGRAM_FORMATS, { message: 'format must be "elf" or "asm"' })
  format?: ProgramFormat;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

export class SegmentDto {
  @ApiProperty({ description: 'Virtual address of the first byte', example: 65536 })
  vaddr!: number;
  @ApiProperty({ description: 'Bytes the segment occupies in guest memory', example: 1024 })
  memSize!: number;
  @ApiProperty({
    description: 'Bytes initialised from the program (the rest is zero)',
    example: 812,
  })
  fileSize!: number;
  @ApiProperty({ example: true })
  readable!: boolean;
  @ApiProperty({ example: false })
  writable!: boolean;
  @ApiProperty({ example: true })
  executable!: boolean;
}

export class ProgramDto {
  @ApiProperty({ format: 'uuid', example: '6f1c2b0e-8a4d-4a51-9a53-0c1f4b7d2e10' })
  id!: string;
  @ApiProperty({
    description: 'Version-prefixed digest of the loaded image (docs/program-digest.md)',
    example: 'zkvm1:3b7f0c2a9e5d4f1b8c6a2e0d7f9b1c3a5e7d9f0b2c4e6a8d0f1b3c5e7a9d0f2b',
  })
  digest!: string;
  @ApiPropertyOptional({ example: 'fibonacci', nullable: true, type: String })
  name!: string | null;
  @ApiProperty({ enum: PROGRAM_FORMATS, example: 'elf' })
  format!: ProgramFormat;
  @ApiProperty({ description: 'Entry point address', example: 65536 })
  entryPoint!: number;
  @ApiProperty({ description: 'Size of the uploaded file in bytes', example: 5204 })
  sizeBytes!: number;
  @ApiProperty({ type: [SegmentDto] })
  segments!: SegmentDto[];
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class ProgramListDto {
  @ApiProperty({ type: [ProgramDto] })
  items!: ProgramDto[];
  @ApiProperty({ example: 1 })
  total!: number;
  @ApiProperty({ example: 50 })
  limit!: number;
  @ApiProperty({ example: 0 })
  offset!: number;
}

export class ListQueryDto extends PaginationQueryDto {}
