import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RuleSetDefinition } from '@casebook/moderation';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/**
 * A new version of the whole policy: every rule set (default and regions). The rule sets themselves are
 * checked by the engine's schema and compiler, which name each bad rule and pattern (422).
 */
export class CreateRuleSetVersionDto {
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Rule-set definitions (ADR 0013)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(64)
  @IsObject({ each: true })
  ruleSets!: RuleSetDefinition[];

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class PublishDto {
  @ApiProperty({
    enum: ['active', 'shadow'],
    description: 'shadow: recorded beside the active version, never deciding',
  })
  @IsIn(['active', 'shadow'])
  as!: 'active' | 'shadow';
}

export class PreviewSampleDto {
  @ApiProperty({ maxLength: 20_000 })
  @IsString()
  @MaxLength(20_000)
  text!: string;

  @ApiPropertyOptional({ enum: ['input', 'output'] })
  @IsOptional()
  @IsIn(['input', 'output'])
  direction?: 'input' | 'output';

  @ApiPropertyOptional({ example: 'EU' })
  @IsOptional()
  @Matches(/^[A-Z]{2,8}$/)
  region?: string;
}

export class PreviewDto {
  @ApiProperty({ type: [PreviewSampleDto], maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PreviewSampleDto)
  samples!: PreviewSampleDto[];
}

export class VersionParams {
  @ApiProperty({ example: '3' })
  @Matches(/^\d{1,18}$/)
  id!: string;
}
