import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '@casebook/platform';
import { AUDIT_ACTION_NAMES } from '../events/actions';

export class AuditEventQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Real id of the actor; pseudonymised by the API before the search.' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  actorId?: string;

  @ApiPropertyOptional({ enum: ['user', 'api_key', 'service'], default: 'user' })
  @IsOptional()
  @IsIn(['user', 'api_key', 'service'])
  actorType?: 'user' | 'api_key' | 'service';

  @ApiPropertyOptional({ description: 'Pseudonym as shown in events (32 hex characters).' })
  @IsOptional()
  @Matches(/^[0-9a-f]{32}$/, { message: 'actorPseudonym must be 32 lowercase hex characters' })
  actorPseudonym?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTION_NAMES })
  @IsOptional()
  @IsIn(AUDIT_ACTION_NAMES)
  action?: string;

  @ApiPropertyOptional({ example: 'conversation' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'resourceType must be a lower_snake_case name' })
  resourceType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(128)
  resourceId?: string;

  @ApiPropertyOptional({ description: 'Occurred at or after (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Occurred before (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class CheckpointQueryDto extends PageQueryDto {}

export class CheckpointExportQueryDto {
  @ApiPropertyOptional({ description: 'First seq covered.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  fromSeq?: number;

  @ApiPropertyOptional({ description: 'Last seq covered.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  toSeq?: number;
}

export class AnomalyQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 24 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24)
  windowHours: number = 1;

  @ApiPropertyOptional({ default: 7, minimum: 1, maximum: 90 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90)
  baselineDays: number = 7;

  @ApiPropertyOptional({ default: 10, minimum: 2, maximum: 100000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(100_000)
  factor: number = 10;

  @ApiPropertyOptional({ default: 50, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  minEvents: number = 50;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;
}

export class AuditEventPageDto {
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Events, newest first, with seq and hashes.' })
  data!: unknown[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
