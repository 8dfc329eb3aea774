import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export const DEFAULT_ROWS_PER_PAGE = 500;
export const MAX_ROWS_PER_PAGE = 5_000;

/** `POST /v1/queries`: a question in words, or a canonical query (exactly one of them). */
export class QueryRequestDto {
  @ApiPropertyOptional({ example: 'revenue by category in EMEA for Q1 2024', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  question?: string;

  @ApiPropertyOptional({
    description: 'IANA time zone the question is asked in (relative periods, calendar boundaries).',
    example: 'Europe/Berlin',
    default: 'UTC',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({
    description: 'A canonical query, as returned in `query` of an earlier answer.',
    example: {
      metrics: ['revenue'],
      groupBy: ['category'],
      filters: { region: ['EMEA'] },
      time: { from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' },
      timeZone: 'UTC',
    },
  })
  @IsOptional()
  @IsObject()
  query?: Record<string, unknown>;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ROWS_PER_PAGE, default: DEFAULT_ROWS_PER_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ROWS_PER_PAGE)
  limit: number = DEFAULT_ROWS_PER_PAGE;

  @ApiPropertyOptional({ description: "Opaque cursor from a previous answer's `nextCursor`." })
  @IsOptional()
  @IsString()
  @MaxLength(2_000)
  cursor?: string;
}

class FreshnessDto {
  @ApiProperty({ enum: ['fresh', 'stale'] })
  state!: 'fresh' | 'stale';

  @ApiPropertyOptional({
    enum: ['revalidating', 'warehouse-unavailable'],
    description: 'Why a stale answer was served: being refreshed right now, or the warehouse is down.',
  })
  reason?: string;

  @ApiProperty({ description: 'Seconds since the answer was computed.' })
  ageSeconds!: number;

  @ApiProperty({ nullable: true, description: 'Warehouse data version the answer was computed at.' })
  dataVersion!: number | null;
}

class CacheInfoDto {
  @ApiProperty({ example: 'qc:1:sales:8Jd…' })
  key!: string;

  @ApiProperty({ enum: ['hit', 'stale', 'miss'] })
  outcome!: string;

  @ApiProperty({ enum: ['l1', 'l2', 'loader', 'peer'] })
  source!: string;

  @ApiPropertyOptional({ description: 'For split queries: parts served from cache out of all parts.' })
  partial?: { cached: number; total: number; warehouseQueries: number };
}

export class QueryAnswerDto {
  @ApiProperty({ description: 'The canonical query the question was understood as.' })
  query!: Record<string, unknown>;

  @ApiProperty({ example: ['category', 'revenue'] })
  columns!: string[];

  @ApiProperty({ example: [{ category: 'electronics', revenue: 1234.56 }] })
  rows!: Record<string, string | number | null>[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;

  @ApiProperty({ type: FreshnessDto })
  freshness!: FreshnessDto;

  @ApiProperty({ type: CacheInfoDto })
  cache!: CacheInfoDto;
}
