import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type Page, PageQueryDto, Public, AuditExempt } from '@casebook/platform';
import { DatasetsService } from './datasets.service';

class DatasetDto {
  @ApiProperty({ example: 'sales' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ description: 'Bumped by every load; part of every cache key of this dataset.' })
  dataVersion!: number;
}

class DatasetPageDto {
  @ApiProperty({ type: [DatasetDto] })
  data!: DatasetDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

@ApiTags('datasets')
@Controller({ path: 'datasets', version: '1' })
export class DatasetsController {
  constructor(private readonly datasets: DatasetsService) {}

  // Dataset names and versions describe the warehouse, not its rows: readable without credentials.
  @Public()
  @AuditExempt('the dataset catalogue: names and descriptions, no personal data')
  @Get()
  @ApiOperation({ summary: 'List the warehouse datasets and their current data versions' })
  @ApiOkResponse({ type: DatasetPageDto })
  async list(@Query() page: PageQueryDto): Promise<Page<DatasetDto>> {
    return this.datasets.list(page);
  }
}
