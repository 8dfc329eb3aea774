import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { decodeCursor, type Page, PageQueryDto, Public, toPage } from '@casebook/platform';
import { CategoriesRepository } from './categories.repository';

class CategoryDto {
  @ApiProperty({ example: 'pii' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({
    enum: ['fail_closed', 'fail_open'],
    description: 'What happens when this category cannot be checked.',
  })
  failurePolicy!: 'fail_closed' | 'fail_open';
}

class CategoryPageDto {
  @ApiProperty({ type: [CategoryDto] })
  data!: CategoryDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}

@ApiTags('categories')
@Controller({ path: 'categories', version: '1' })
export class CategoriesController {
  constructor(private readonly categories: CategoriesRepository) {}

  // The list of categories is public policy, like a published content policy page.
  @Public()
  @Get()
  @ApiOperation({ summary: 'List the moderation categories and their failure policies' })
  @ApiOkResponse({ type: CategoryPageDto })
  async list(@Query() page: PageQueryDto): Promise<Page<CategoryDto>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['name']).name) : null;
    const rows = await this.categories.list(after, page.limit);
    return toPage(rows, page.limit, (row) => ({ name: row.name }));
  }
}
