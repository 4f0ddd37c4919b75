import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { StatementDto } from '../../common/statement.dto';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class ExpectedStatementDto {
  @ApiPropertyOptional({ description: 'The proof must be of this program', example: 'zkvm1:2637…' })
  @IsOptional()
  @IsString()
  @Matches(/^zkvm\d+:[0-9a-f]{64}$/, {
    message: 'programDigest must look like zkvm1:<64 hex digits>',
  })
  programDigest?: string;

  @ApiPropertyOptional({
    description: 'The public output must be exactly these bytes (hex)',
    example: '37000000',
  })
  @IsOptional()
  @IsString()
  @Matches(/^(?:[0-9a-fA-F]{2})*$/, { message: 'publicOutput must be hex' })
  publicOutput?: string;

  @ApiPropertyOptional({ description: 'The exit code must be this', example: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(-2147483648)
  @Max(2147483647)
  exitCode?: number;
}

export class VerifyRequestDto {
  @ApiProperty({ description: 'The proof bytes, base64 (or base64url)', format: 'byte' })
  @IsString()
  @Matches(/^[A-Za-z0-9+/_-]*={0,2}$/, { message: 'proof must be base64' })
  proof!: string;

  @ApiPropertyOptional({
    type: ExpectedStatementDto,
    description: 'Values the statement must have',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ExpectedStatementDto)
  expected?: ExpectedStatementDto;
}

export class VerifyQueryDto extends ExpectedStatementDto {
  @ApiProperty({ description: 'The proof bytes, base64url', format: 'byte' })
  @IsString()
  @Matches(/^[A-Za-z0-9+/_-]*={0,2}$/, { message: 'proof must be base64url' })
  proof!: string;
}

export class VerifyResponseDto {
  @ApiProperty({ example: true })
  valid!: boolean;
  @ApiPropertyOptional({
    description: 'Why the proof was rejected',
    example: 'the public output differs from the expected one',
  })
  reason?: string;
  @ApiPropertyOptional({
    description: 'Which step rejected it (decode, statement, srs, folding, compression, …)',
  })
  stage?: string;
  @ApiPropertyOptional({
    type: StatementDto,
    description: 'What the proof claims (present whenever it could be decoded)',
  })
  statement?: StatementDto;
}
