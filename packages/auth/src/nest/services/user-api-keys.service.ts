import { Inject, Injectable } from '@nestjs/common';
import { type HttpReply, ProblemError } from '@casebook/platform';
import { type ApiKeyRecord, ApiKeys } from '../../api-keys/api-keys';
import { AuthErrorCode } from '../../errors';
import { AUTH_EVENT_SINK, type AuthEventContext, type AuthEventSink } from '../../events/auth-events';
import type { Principal } from '../../principal';

function userOf(principal: Principal): string {
  if (principal.kind !== 'user') {
    throw new ProblemError({ code: AuthErrorCode.Forbidden, detail: 'API keys are managed by users.' });
  }
  return principal.id;
}

/** A user's own API keys: created (shown once), listed and revoked, each change an auth event. */
@Injectable()
export class UserApiKeysService {
  constructor(
    private readonly keys: ApiKeys,
    @Inject(AUTH_EVENT_SINK) private readonly events: AuthEventSink,
  ) {}

  async create(
    principal: Principal,
    input: { name: string; scopes: string[]; expiresInDays?: number },
    context: AuthEventContext,
  ): Promise<HttpReply<ApiKeyRecord & { key: string }>> {
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
    const { key, record } = await this.keys.create(
      { ownerUserId: userOf(principal), name: input.name, scopes: input.scopes, expiresAt },
      (tx, created) =>
        this.events.recordInTransaction(
          tx,
          { action: 'admin.api_key.created', keyId: created.id, kind: 'api_key', scopes: created.scopes },
          context,
        ),
    );
    return { status: 201, headers: { location: `/v1/api-keys/${record.id}` }, body: { ...record, key } };
  }

  async list(principal: Principal) {
    return { data: await this.keys.list(userOf(principal)), nextCursor: null };
  }

  async revoke(principal: Principal, id: string, context: AuthEventContext): Promise<void> {
    const revoked = await this.keys.revoke(id, userOf(principal), (tx) =>
      this.events.recordInTransaction(tx, { action: 'admin.api_key.revoked', keyId: id }, context),
    );
    if (!revoked) throw ProblemError.notFound('API key');
  }
}
