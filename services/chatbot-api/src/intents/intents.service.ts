import { Injectable } from '@nestjs/common';
import { decodeCursor, type Page, ProblemError, toPage } from '@casebook/platform';
import type { IntentDto } from './intents.dto';
import { IntentsRepository } from './intents.repository';

/** The intent catalog as the API shows it: pages by name, one intent by name. */
@Injectable()
export class IntentsService {
  constructor(private readonly intents: IntentsRepository) {}

  async list(page: { cursor?: string; limit: number }): Promise<Page<IntentDto>> {
    const after = page.cursor ? String(decodeCursor(page.cursor, ['name']).name) : null;
    const rows = await this.intents.list(after, page.limit);
    return toPage(rows, page.limit, (row) => ({ name: row.name }));
  }

  async get(name: string): Promise<IntentDto> {
    const intent = await this.intents.findByName(name);
    if (!intent) throw ProblemError.notFound(`Intent '${name}'`);
    return intent;
  }
}
