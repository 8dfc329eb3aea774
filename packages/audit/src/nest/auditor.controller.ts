import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@casebook/auth';
import type { Page } from '@casebook/platform';
import type { Anomaly } from '../anomaly/anomalies';
import type { ChainedEventJson } from '../chain/rows';
import type { Checkpoint } from '../checkpoints/checkpoint';
import type { CheckpointExport } from '../checkpoints/checkpoint-store';
import { Audited } from './audited.decorator';
import {
  AnomalyQueryDto,
  AuditEventPageDto,
  AuditEventQueryDto,
  CheckpointExportQueryDto,
  CheckpointQueryDto,
} from './auditor.dto';
import { AuditorService } from './auditor.service';

const FILTERS = ['actorId', 'actorPseudonym', 'action', 'resourceType', 'resourceId', 'from', 'to'] as const;

/** Q6.2: the auditor API. Every route needs `read AuditEvent` (admins, auditors) and is itself audited. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller({ path: 'audit', version: '1' })
export class AuditorController {
  constructor(private readonly auditor: AuditorService) {}

  @Get('events')
  @RequirePermission('read', 'AuditEvent')
  @Audited({
    action: 'audit.events.read',
    details: ({ request, result }) => ({
      filters: FILTERS.filter((name) => (request.query as Record<string, unknown>)[name] !== undefined),
      returned: (result as Page<unknown>).data.length,
    }),
  })
  @ApiOperation({ summary: 'Audit events by actor, action, resource and time, newest first' })
  @ApiOkResponse({ type: AuditEventPageDto })
  events(@Query() query: AuditEventQueryDto): Promise<Page<ChainedEventJson>> {
    return this.auditor.events(query);
  }

  @Get('checkpoints')
  @RequirePermission('read', 'AuditEvent')
  @Audited({
    action: 'audit.checkpoints.read',
    details: ({ result }) => ({ returned: (result as Page<unknown>).data.length }),
  })
  @ApiOperation({ summary: 'Signed checkpoints of the hash chain, newest first' })
  checkpoints(@Query() query: CheckpointQueryDto): Promise<Page<Checkpoint>> {
    return this.auditor.checkpointPage(query);
  }

  @Get('checkpoints/export')
  @RequirePermission('read', 'AuditEvent')
  @Audited({
    action: 'audit.checkpoints.exported',
    details: ({ result }) => ({ returned: (result as CheckpointExport).checkpoints.length }),
  })
  @Header('content-disposition', 'attachment; filename="audit-checkpoints.json"')
  @ApiOperation({
    summary: 'Checkpoints with the public keys that signed them, for external verification',
    description: 'Verify offline: node packages/audit/dist/cli/verify.js --checkpoints <file> --public-key <pem>.',
  })
  exportCheckpoints(@Query() query: CheckpointExportQueryDto): Promise<CheckpointExport> {
    return this.auditor.exportCheckpoints(query);
  }

  @Get('anomalies')
  @RequirePermission('read', 'AuditEvent')
  @Audited({ action: 'audit.anomalies.read', details: ({ result }) => ({ returned: (result as Anomaly[]).length }) })
  @ApiOperation({ summary: 'Principals whose volume in the window exceeds N times their own baseline (Q6.3)' })
  anomalies(@Query() query: AnomalyQueryDto): Promise<Anomaly[]> {
    return this.auditor.anomalies(query);
  }
}
