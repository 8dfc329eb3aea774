import { Injectable } from '@nestjs/common';
import { decodeCursor, type Page, toPage } from '@casebook/platform';
import { type DatasetRow, DatasetsRepository } from './datasets.repository';

/** The warehouse datasets and their data versions, a page at a time by name. */
@Injectable()
export class DatasetsService {
  constructor(private readonly datasets: DatasetsRepository) {}

  async list(page: { cursor?: string; limit: number }): Promise<Page<DatasetRow>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['name']).name) : null;
    const rows = await this.datasets.list(after, page.limit);
    return toPage(rows, page.limit, (row) => ({ name: row.name }));
  }
}
