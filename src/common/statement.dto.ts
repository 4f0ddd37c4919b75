import { ApiProperty } from '@nestjs/swagger';

/** The public statement of a proof: what it proves, readable. */
export class StatementDto {
  @ApiProperty({
    example: 'zkvm1:2637137c117e14c91cbfda88d5f725c773756c9e4de18bc3165a0469ec005ff1',
  })
  programDigest!: string;
  @ApiProperty({ description: 'Public input, hex', example: '0a000000' })
  publicInput!: string;
  @ApiProperty({ description: 'Public output, hex', example: '3700000000000000' })
  publicOutput!: string;
  @ApiProperty({ example: 0 })
  exitCode!: number;
  @ApiProperty({ description: 'Instructions the guest retired', example: 142 })
  cycles!: number;
  @ApiProperty({ description: 'log2 of the rows per proof segment', example: 6 })
  segmentSizeLog2!: number;
  @ApiProperty({ example: 3 })
  segments!: number;
  @ApiProperty({ example: 1 })
  protocolVersion!: number;
  @ApiProperty({ description: 'Identity of the structured reference string (hex)' })
  srsId!: string;
  @ApiProperty({
    description:
      'True when the proof was made with the insecure development SRS: it then proves nothing to a third party',
  })
  insecureSrs!: boolean;
}
