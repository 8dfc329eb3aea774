import { Injectable } from '@nestjs/common';
import { decodeCursor, type Page, toPage } from '@casebook/platform';
import { type CategoryRow, CategoriesRepository } from './categories.repository';

/** The moderation categories and their failure policies, a page at a time by name. */
@Injectable()
export class CategoriesService {
  constructor(private readonly categories: CategoriesRepository) {}

  async list(page: { cursor?: string; limit: number }): Promise<Page<CategoryRow>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['name']).name) : null;
    const rows = await this.categories.list(after, page.limit);
    return toPage(rows, page.limit, (row) => ({ name: row.name }));
  }
}
