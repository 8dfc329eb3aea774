import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { decodeCursor, type Page, PageQueryDto, Public, toPage } from '@casebook/platform';
import { DatasetsRepository } from './datasets.repository';

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
  constructor(private readonly datasets: DatasetsRepository) {}

  // Dataset names and versions describe the warehouse, not its rows: readable without credentials.
  @Public()
  @Get()
  @ApiOperation({ summary: 'List the warehouse datasets and their current data versions' })
  @ApiOkResponse({ type: DatasetPageDto })
  async list(@Query() page: PageQueryDto): Promise<Page<DatasetDto>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['name']).name) : null;
    const rows = await this.datasets.list(after, page.limit);
    return toPage(rows, page.limit, (row) => ({ name: row.name }));
  }
}
