import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** A text may be a whole long reply (10,000 words ≈ 60 kB); a batch holds at most 32 of them. */
export const MAX_TEXT = 200_000;
export const MAX_TEXTS = 32;

/** An optional batch of texts: at most MAX_TEXTS strings of at most MAX_TEXT characters each. */
const TextBatch = () =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], maxItems: MAX_TEXTS }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(MAX_TEXTS),
    IsString({ each: true }),
    MaxLength(MAX_TEXT, { each: true }),
  );

export class ModerationUserContextDto {
  @ApiPropertyOptional({ example: 'premium' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  plan?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  roles?: string[];

  @ApiPropertyOptional({ description: '0 (abusive) … 1 (trusted); 0.5 when unknown' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  reputation?: number;

  @ApiPropertyOptional({ description: 'Region of the caller IP, used when the account has none (Q23.2)' })
  @IsOptional()
  @Matches(/^[A-Z]{2,8}$/)
  ipRegion?: string;
}

/** `POST /v1/moderate`: one text or a batch, with who it is for and which way it flows. */
export class ModerateRequestDto {
  @ApiPropertyOptional({ maxLength: MAX_TEXT })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEXT)
  text?: string;

  @TextBatch()
  texts?: string[];

  @ApiProperty({ enum: ['input', 'output'], description: 'input: what a user sends; output: what the assistant says' })
  @IsIn(['input', 'output'])
  direction!: 'input' | 'output';

  @ApiPropertyOptional({ example: 'EU', description: 'Account region; wins over the IP region (Q23.2)' })
  @IsOptional()
  @Matches(/^[A-Z]{2,8}$/)
  region?: string;

  @ApiPropertyOptional({ description: 'Who the text is for (pseudonymised before anything is kept)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  userId?: string;

  @ApiPropertyOptional({ type: ModerationUserContextDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ModerationUserContextDto)
  context?: ModerationUserContextDto;
}

/** OpenAI's `POST /v1/moderations` request: a string or a list of strings (text inputs only). */
export class OpenAiModerationRequestDto {
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] })
  @Allow()
  input!: unknown;

  @ApiPropertyOptional({ example: 'omni-moderation-latest' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  model?: string;
}

/**
 * LiteLLM's Generic Guardrail API request. LiteLLM sends more than casebook reads (messages, tools,
 * images, call ids); those fields are accepted and ignored, so a newer LiteLLM does not break it.
 */
export class LiteLlmGuardrailRequestDto {
  @TextBatch()
  texts?: string[];

  @ApiPropertyOptional({ enum: ['request', 'response'] })
  @IsOptional()
  @IsIn(['request', 'response'])
  input_type?: 'request' | 'response';

  @Allow() litellm_call_id?: unknown;
  @Allow() litellm_trace_id?: unknown;
  @Allow() structured_messages?: unknown;
  @Allow() images?: unknown;
  @Allow() tools?: unknown;
  @Allow() request_data?: unknown;
  @Allow() additional_provider_specific_params?: unknown;
}
