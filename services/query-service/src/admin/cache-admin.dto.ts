import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { DIMENSIONS } from '../warehouse/catalog';

const KEY = /^[^{}\s]{1,512}$/;
const TAG = /^[^{}\s]{1,200}$/;

export class EntriesQueryDto {
  @ApiPropertyOptional({ description: 'One exact key.' })
  @IsOptional()
  @Matches(KEY)
  key?: string;

  @ApiPropertyOptional({ description: 'Entries recorded under a tag, e.g. `category:electronics`.' })
  @IsOptional()
  @Matches(TAG)
  tag?: string;

  @ApiPropertyOptional({ description: 'Keys starting with a prefix, e.g. `qc:1:sales:` (SCAN, paged).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  prefix?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'From a previous page (prefix listing).' })
  @IsOptional()
  @Matches(/^\d{1,20}$/)
  cursor?: string;
}

export class EntryPageDto {
  @ApiProperty({
    example: [
      {
        key: 'qc:1:sales:8Jd…',
        state: 'fresh',
        bytes: 812,
        codec: 'json',
        tags: ['dataset:sales', 'region:EMEA'],
        dataVersion: 14,
        createdAt: 1718200000000,
        ttl: 3600000,
        expiresInMs: 3400000,
      },
    ],
  })
  data!: object[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

export class MemberDto {
  @ApiProperty({ enum: DIMENSIONS })
  @IsIn(DIMENSIONS)
  dimension!: string;

  @ApiProperty({ example: 'electronics' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^[^{}\s*]+$/)
  value!: string;
}

export class InvalidationDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1_000)
  @Matches(KEY, { each: true })
  keys?: string[];

  @ApiPropertyOptional({ type: [String], example: ['category:electronics', 'category:*'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(TAG, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: [MemberDto], description: 'Every entry that may contain this member’s data.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MemberDto)
  members?: MemberDto[];

  @ApiPropertyOptional({ default: false, description: 'Report what would be affected; change nothing.' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiProperty({ example: 'electronics prices corrected upstream', description: 'Why; goes to the audit record.' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason!: string;
}

export class InvalidationResultDto {
  @ApiProperty()
  dryRun!: boolean;

  @ApiProperty({ type: [String] })
  keys!: string[];

  @ApiProperty({ type: [String] })
  tags!: string[];

  @ApiProperty({ description: 'Entries known to the tag index (and the keys given) that are affected.' })
  affected!: { count: number; sample: string[] };

  @ApiPropertyOptional()
  deletedKeys?: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  invalidatedAt?: string | null;
}

export class WarmupDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  topN: number = 100;
}

export class StatsDto {
  @ApiProperty()
  schemaVersion!: number;

  @ApiProperty()
  dataVersion!: number;

  @ApiProperty()
  l1!: { entries: number; bytes: number };

  @ApiProperty()
  l2Usable!: boolean;

  @ApiProperty({ description: 'This instance: counts, hit ratio per tier, warehouse queries and time saved.' })
  instance!: object;

  @ApiProperty({ nullable: true, description: 'Every instance added up (flushed every 10 s).' })
  fleet!: object | null;
}
