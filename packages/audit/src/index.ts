// Public surface of @casebook/audit: a framework-free core (events, privacy, chain, checkpoints, verifier,
// archive, anomalies) and the Nest module services import.
export * from './config';
export * from './events/actions';
export * from './events/event.schema';
export {
  buildAuditEvent,
  deterministicEventId,
  resourceOf,
  type AuditActorInput,
  type AuditInput,
} from './events/build-event';
export { uuidv7 } from './events/uuid';
export * from './privacy/pseudonymizer';
export { normaliseIp, truncateIp, type SourceAddress } from './privacy/ip';
export { redactFreeText } from './privacy/redact';
export { canonicalJson } from './chain/canonical';
export * from './chain/chain-record';
export {
  CHAIN_COLUMNS,
  chainedEventFromRow,
  toChainedJson,
  fromChainedJson,
  type ChainRow,
  type ChainedEventJson,
} from './chain/rows';
export * from './db/db';
export * from './store/chain-writer';
export { writeToOutbox } from './store/outbox';
export { ensurePartition, listPartitions, partitionFor, type AuditPartition } from './store/partitions';
export { queryEvents, type AuditEventFilter } from './store/event-query';
export * from './capture/recorder';
export { encodeStreamEntry as encodeStreamEntryForTests } from './capture/stream-entry';
export * from './consumer/stream-consumer';
export * from './consumer/outbox-relay';
export * from './consumer/redis-durability';
export * from './checkpoints/signing-key';
export * from './checkpoints/checkpoint';
export * from './checkpoints/checkpoint-store';
export * from './verify/chain-verifier';
export * from './verify/verify-database';
export * from './archive/archive-file';
export * from './archive/archiver';
export * from './archive/restore';
export * from './anomaly/anomalies';
export * from './migrations';
export * from './nest/tokens';
export * from './nest/audited.decorator';
export * from './nest/request-audit';
export { AuditHttpHooks } from './nest/audit-http.hooks';
export { AuditAuthEventSink, auditAuthEvents, auditInputOfAuthEvent } from './nest/auth-events';
export { AuditConsumerService } from './nest/audit-consumer.service';
export { AuditorController } from './nest/auditor.controller';
export { AuditorService } from './nest/auditor.service';
export * from './nest/audit.module';
