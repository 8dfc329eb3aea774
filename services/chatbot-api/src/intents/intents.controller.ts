import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Page, PageQueryDto, Public, AuditExempt } from '@casebook/platform';
import { IntentDto, IntentPageDto, IntentParamsDto } from './intents.dto';
import { IntentsService } from './intents.service';

@ApiTags('intents')
@Controller({ path: 'intents', version: '1' })
export class IntentsController {
  constructor(private readonly intents: IntentsService) {}

  // The catalog is product documentation, not user data: readable without credentials.
  @Public()
  @AuditExempt('the intent catalogue: product data, no personal data')
  @Get()
  @ApiOperation({ summary: 'List the intents the chatbot understands' })
  @ApiOkResponse({ type: IntentPageDto })
  async list(@Query() page: PageQueryDto): Promise<Page<IntentDto>> {
    return this.intents.list(page);
  }

  @Public()
  @AuditExempt('one intent of the catalogue: product data, no personal data')
  @Get(':name')
  @ApiOperation({ summary: 'One intent' })
  @ApiOkResponse({ type: IntentDto })
  async get(@Param() params: IntentParamsDto): Promise<IntentDto> {
    return this.intents.get(params.name);
  }
}
