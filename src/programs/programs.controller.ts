import {
  BadRequestException,
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
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
  ApiBearerAuth,
  ApiSecurity,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ProblemDetails } from '../common/problem';
import {
  CreateProgramFormDto,
  CreateProgramJsonDto,
  ListQueryDto,
  ProgramDto,
  ProgramListDto,
  type ProgramFormat,
} from './dto/program.dto';
import { ProgramsService } from './programs.service';
import { CurrentPrincipal, type Principal } from '../auth/principal';

function validationMessages(obj: object): string[] {
  return validateSync(obj, { whitelist: true, forbidNonWhitelisted: true }).flatMap((e) =>
    Object.values(e.constraints ?? {}),
  );
}

@ApiTags('programs')
@ApiBearerAuth()
@ApiSecurity('apiKey')
@ApiUnauthorizedResponse({ type: ProblemDetails, description: 'Missing or invalid API key' })
@ApiExtraModels(CreateProgramJsonDto)
@Controller('programs')
export class ProgramsController {
  constructor(private readonly programs: ProgramsService) {}

  @Post()
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({
    operationId: 'createProgram',
    summary: 'Upload a program (RV32IM ELF, or assembly source)',
    description:
      'Accepts multipart/form-data with the program in the `file` part (optional fields `format`: "elf" | "asm", and `name`), ' +
      'or JSON with the ELF base64-encoded in `elf` or assembly text in `assembly`. ' +
      'The program is loaded and validated before anything is stored. Uploading a program whose loaded image is already known ' +
      'returns the existing record with 200 instead of 201.',
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(CreateProgramJsonDto) } },
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: {
              file: {
                type: 'string',
                format: 'binary',
                description: 'The ELF file (or assembly source with format=asm)',
              },
              format: { type: 'string', enum: ['elf', 'asm'], default: 'elf' },
              name: { type: 'string', maxLength: 200 },
            },
          },
        },
      },
    },
  })
  @ApiCreatedResponse({ type: ProgramDto, description: 'Stored a new program' })
  @ApiOkResponse({
    type: ProgramDto,
    description: 'The same program was already stored; its record is returned',
  })
  @ApiBadRequestResponse({ type: ProblemDetails, description: 'Malformed request' })
  @ApiPayloadTooLargeResponse({
    type: ProblemDetails,
    description: 'Program larger than MAX_PROGRAM_BYTES',
  })
  @ApiUnprocessableEntityResponse({
    type: ProblemDetails,
    description: 'Not a loadable RV32IM program',
  })
  async create(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() body: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProgramDto> {
    let format: ProgramFormat;
    let content: Buffer;
    let name: string | undefined;
    if (req.is('multipart/form-data')) {
      const form = plainToInstance(CreateProgramFormDto, body ?? {});
      const errors = validationMessages(form);
      if (errors.length) throw new BadRequestException(errors);
      if (!file) throw new BadRequestException('The multipart upload has no `file` part.');
      format = form.format ?? 'elf';
      content = file.buffer;
      name = form.name;
    } else if (req.is('application/json')) {
      const dto = plainToInstance(CreateProgramJsonDto, body ?? {});
      const errors = validationMessages(dto);
      if (errors.length) throw new BadRequestException(errors);
      if ((dto.elf === undefined) === (dto.assembly === undefined)) {
        throw new BadRequestException('Give exactly one of `elf` (base64) and `assembly` (text).');
      }
      if (dto.elf !== undefined) {
        format = 'elf';
        content = Buffer.from(dto.elf, 'base64');
      } else {
        format = 'asm';
        content = Buffer.from(dto.assembly ?? '', 'utf8');
      }
      name = dto.name;
    } else {
      throw new BadRequestException(
        'Send the program as multipart/form-data (part `file`) or as JSON.',
      );
    }
    const { program, created } = await this.programs.upload(principal, format, content, name);
    res.status(created ? 201 : 200).location(`/programs/${program.id}`);
    return program;
  }

  @Get()
  @ApiOperation({ operationId: 'listPrograms', summary: 'List uploaded programs, newest first' })
  @ApiOkResponse({ type: ProgramListDto })
  @ApiBadRequestResponse({ type: ProblemDetails })
  list(
    @Query() q: ListQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProgramListDto> {
    return this.programs.list(principal.ownerId, q.limit ?? 50, q.offset ?? 0);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getProgram', summary: 'Get one program' })
  @ApiOkResponse({ type: ProgramDto })
  @ApiBadRequestResponse({ type: ProblemDetails, description: 'The id is not a UUID' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  get(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ProgramDto> {
    return this.programs.get(principal.ownerId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteProgram',
    summary: 'Delete a program and its finished proof jobs',
    description: 'Refused with 409 while a proof job of the program is queued or running.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ProblemDetails })
  @ApiConflictResponse({
    type: ProblemDetails,
    description: 'A proof job of the program is queued or running',
  })
  async delete(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.programs.delete(principal.ownerId, id);
  }
}
