import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { DatabaseService } from '../db/database.service';
import { ProblemDetails } from '../common/problem';
import { Public } from '../auth/principal';

class HealthDto {
  @ApiProperty({ example: 'ok' })
  status!: 'ok';
  @ApiProperty({ example: 12.5, description: 'Seconds since the process started' })
  uptime!: number;
}

class ReadyDto {
  @ApiProperty({ example: 'ready' })
  status!: 'ready';
  @ApiProperty({ example: 'embedded (/srv/.data/pglite)' })
  database!: string;
}

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(private readonly db: DatabaseService) {}

  @Get('health')
  @HttpCode(200)
  @ApiOperation({ operationId: 'health', summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({ type: HealthDto })
  health(): HealthDto {
    return { status: 'ok', uptime: Math.round(process.uptime() * 10) / 10 };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'ready',
    summary: 'Readiness: the database answers and its schema is up to date',
  })
  @ApiOkResponse({ type: ReadyDto })
  @ApiServiceUnavailableResponse({ type: ProblemDetails })
  async ready(): Promise<ReadyDto> {
    const { ok, detail } = await this.db.check();
    if (!ok) throw new ServiceUnavailableException(`not ready: ${detail}`);
    return { status: 'ready', database: detail };
  }
}
