import { Injectable } from '@nestjs/common';
import { previewDiff, type PreviewDiff, type RuleSetDefinition } from '@casebook/moderation';
import { decodeCursor, type Page, ProblemError, toPage } from '@casebook/platform';
import { ModerationErrorCode } from '../moderate/moderation-errors';
import { compilePolicy } from './compile';
import { LiveSnapshots } from './live-snapshots';
import { type RuleSetVersionRow, RuleSetsRepository } from './rule-sets.repository';

export interface RuleSetVersionView {
  id: string;
  version: string;
  state: RuleSetVersionRow['state'];
  note: string;
  ruleSets: RuleSetDefinition[];
  createdBy: string;
  createdAt: Date;
  publishedAt: Date | null;
}

const view = (row: RuleSetVersionRow): RuleSetVersionView => ({
  id: row.id,
  version: row.version,
  state: row.state,
  note: row.note,
  ruleSets: row.definitions,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  publishedAt: row.publishedAt,
});

/** Q23.1, Q24.1–Q24.4: drafts, previews and publishes of the moderation policy. */
@Injectable()
export class RuleSetsService {
  constructor(
    private readonly versions: RuleSetsRepository,
    private readonly live: LiveSnapshots,
  ) {}

  /** Validates and compiles before storing, so a stored version always compiles. */
  async createDraft(
    input: { ruleSets: RuleSetDefinition[]; note?: string },
    actor: string,
  ): Promise<RuleSetVersionView> {
    const snapshot = compilePolicy(input.ruleSets);
    const row = await this.versions.createDraft({
      version: snapshot.version,
      definitions: input.ruleSets,
      note: input.note ?? '',
      createdBy: actor,
    });
    return view(row);
  }

  async get(id: string): Promise<RuleSetVersionView> {
    return view(await this.found(id));
  }

  async list(page: { cursor?: string; limit: number }): Promise<Page<RuleSetVersionView>> {
    const before = page.cursor ? String(decodeCursor(page.cursor, ['id']).id) : null;
    const rows = await this.versions.list(before, page.limit);
    return toPage(rows.map(view), page.limit, (v) => ({ id: v.id }));
  }

  /** Q24.4: what the draft would decide on `samples`, next to the active version, at one instant. */
  async preview(
    id: string,
    samples: { text: string; direction?: 'input' | 'output'; region?: string }[],
  ): Promise<PreviewDiff> {
    const draft = compilePolicy((await this.found(id)).definitions);
    return previewDiff(
      this.live.holder.current(),
      draft,
      samples.map((s) => ({ text: s.text, context: { direction: s.direction ?? 'output', accountRegion: s.region } })),
    );
  }

  /**
   * Publishes a version as `active` (traffic follows it) or `shadow` (recorded beside the active one,
   * never deciding). Rolling back is publishing an earlier version. Every instance swaps on the
   * announcement, or within one poll interval without it.
   */
  async publish(id: string, as: 'active' | 'shadow'): Promise<RuleSetVersionView> {
    compilePolicy((await this.found(id)).definitions);
    const row = await this.versions.publish(id, as);
    await this.live.announce(row.publishedSeq!);
    return view(row);
  }

  private async found(id: string): Promise<RuleSetVersionRow> {
    // `id` is a validated route parameter (VersionParams: digits only).
    const row = await this.versions.find(id);
    if (!row)
      throw new ProblemError({ code: ModerationErrorCode.RuleSetNotFound, detail: `No rule-set version ${id}.` });
    return row;
  }
}
