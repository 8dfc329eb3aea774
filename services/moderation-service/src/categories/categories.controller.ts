import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type Page, PageQueryDto, Public, AuditExempt } from '@casebook/platform';
import { CategoriesService } from './categories.service';

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
  constructor(private readonly categories: CategoriesService) {}

  // The list of categories is public policy, like a published content policy page.
  @Public()
  @AuditExempt('the published moderation policy: no personal data')
  @Get()
  @ApiOperation({ summary: 'List the moderation categories and their failure policies' })
  @ApiOkResponse({ type: CategoryPageDto })
  async list(@Query() page: PageQueryDto): Promise<Page<CategoryDto>> {
    return this.categories.list(page);
  }
}
