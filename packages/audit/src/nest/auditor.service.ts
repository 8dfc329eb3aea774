import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, type Page, ProblemError, toPage } from '@casebook/platform';
import { type Anomaly, findAnomalies } from '../anomaly/anomalies';
import type { ChainedEventJson } from '../chain/rows';
import type { Checkpoint } from '../checkpoints/checkpoint';
import { type CheckpointExport, CheckpointStore } from '../checkpoints/checkpoint-store';
import type { AuditDb } from '../db/db';
import { resourceOf } from '../events/build-event';
import { Pseudonymizer } from '../privacy/pseudonymizer';
import { queryEvents } from '../store/event-query';
import type { AnomalyQueryDto, AuditEventQueryDto, CheckpointExportQueryDto, CheckpointQueryDto } from './auditor.dto';
import { AUDIT_DB } from './tokens';

/** Q6.2–Q6.3: what auditors read. Searches by real ids are pseudonymised here, as the events were. */
@Injectable()
export class AuditorService {
  constructor(
    @Inject(AUDIT_DB) private readonly db: AuditDb,
    private readonly pseudonymizer: Pseudonymizer,
    private readonly checkpoints: CheckpointStore,
  ) {}

  async events(query: AuditEventQueryDto): Promise<Page<ChainedEventJson>> {
    if (query.actorId && query.actorPseudonym) {
      throw ProblemError.validation([
        { field: 'actorId', in: 'query', message: 'give actorId or actorPseudonym, not both' },
      ]);
    }
    if (query.resourceId && !query.resourceType) {
      throw ProblemError.validation([{ field: 'resourceType', in: 'query', message: 'resourceId needs resourceType' }]);
    }
    const actorPseudonym = query.actorId
      ? this.pseudonymizer.pseudonym(query.actorType ?? 'user', query.actorId)
      : query.actorPseudonym;
    const resource =
      query.resourceType && query.resourceId
        ? resourceOf({ type: query.resourceType, id: query.resourceId }, this.pseudonymizer)
        : null;
    const before = query.cursor ? Number(decodeCursor(query.cursor, ['seq']).seq) : undefined;
    const rows = await queryEvents(
      this.db,
      {
        actorPseudonym,
        action: query.action,
        resourceType: query.resourceType,
        resourceId: resource?.id ?? undefined,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      { before, limit: query.limit + 1 },
    );
    return toPage(rows, query.limit, (row) => ({ seq: row.seq }));
  }

  async checkpointPage(query: CheckpointQueryDto): Promise<Page<Checkpoint>> {
    const before = query.cursor ? Number(decodeCursor(query.cursor, ['seq']).seq) : undefined;
    const rows = await this.checkpoints.page({ before, limit: query.limit + 1 });
    return toPage(rows, query.limit, (row) => ({ seq: row.seq }));
  }

  exportCheckpoints(query: CheckpointExportQueryDto): Promise<CheckpointExport> {
    return this.checkpoints.export({ from: query.fromSeq, to: query.toSeq });
  }

  anomalies(query: AnomalyQueryDto): Promise<Anomaly[]> {
    return findAnomalies(this.db, query);
  }
}
