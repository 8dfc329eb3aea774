import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { decodeCursor, type Page, PageQueryDto, ProblemError, Public, toPage } from '@casebook/platform';
import { IntentDto, IntentPageDto, IntentParamsDto } from './intents.dto';
import { IntentsRepository } from './intents.repository';

@ApiTags('intents')
@Controller({ path: 'intents', version: '1' })
export class IntentsController {
  constructor(private readonly intents: IntentsRepository) {}

  // The catalog is product documentation, not user data: readable without credentials.
  @Public()
  @Get()
  @ApiOperation({ summary: 'List the intents the chatbot understands' })
  @ApiOkResponse({ type: IntentPageDto })
  async list(@Query() page: PageQueryDto): Promise<Page<IntentDto>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['name']).name) : null;
    const rows = await this.intents.list(after, page.limit);
    return toPage(rows, page.limit, (row) => ({ name: row.name }));
  }

  @Public()
  @Get(':name')
  @ApiOperation({ summary: 'One intent' })
  @ApiOkResponse({ type: IntentDto })
  async get(@Param() params: IntentParamsDto): Promise<IntentDto> {
    const intent = await this.intents.findByName(params.name);
    if (!intent) throw ProblemError.notFound(`Intent '${params.name}'`);
    return intent;
  }
}
