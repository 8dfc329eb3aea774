import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@casebook/auth';
import type { LiteLlmGuardrailResponse, OpenAiModerationResponse } from '@casebook/moderation';
import { AuditExempt } from '@casebook/platform';
import { LiteLlmGuardrailRequestDto, ModerateRequestDto, OpenAiModerationRequestDto } from './moderate.dto';
import { type ModerateResponse, ModerationService } from './moderation.service';

const NOTHING_KEPT = 'a verdict on text the caller sends; neither the text nor the verdict is stored';

@ApiTags('moderation')
@ApiBearerAuth()
@Controller({ version: '1' })
export class ModerateController {
  constructor(private readonly moderation: ModerationService) {}

  @Post('moderate')
  @HttpCode(200)
  @RequirePermission('create', 'Moderation')
  @AuditExempt(NOTHING_KEPT)
  @ApiOperation({ summary: 'Moderate one text or a batch: action, categories, rule matches, PII, redacted text' })
  moderate(@Body() body: ModerateRequestDto): ModerateResponse {
    return this.moderation.moderate(body);
  }

  @Post('moderations')
  @HttpCode(200)
  @RequirePermission('create', 'Moderation')
  @AuditExempt(NOTHING_KEPT)
  @ApiOperation({ summary: "OpenAI-compatible moderation (the shape of OpenAI's POST /v1/moderations)" })
  openAi(@Body() body: OpenAiModerationRequestDto): OpenAiModerationResponse {
    return this.moderation.openAiModeration(body.input, body.model);
  }

  @Post('guardrails/litellm')
  @HttpCode(200)
  @RequirePermission('create', 'Moderation')
  @AuditExempt(NOTHING_KEPT)
  @ApiOperation({ summary: "LiteLLM's Generic Guardrail API: BLOCKED, GUARDRAIL_INTERVENED or NONE" })
  liteLlm(@Body() body: LiteLlmGuardrailRequestDto): LiteLlmGuardrailResponse {
    return this.moderation.liteLlmGuardrail(body);
  }
}
