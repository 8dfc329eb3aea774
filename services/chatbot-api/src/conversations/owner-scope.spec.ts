import { AccessContext } from '@casebook/auth';
import type { InsightsRepository } from '../insights/insights.repository';
import type { MessagesRepository } from '../messages/messages.repository';
import type { ConversationsRepository } from './conversations.repository';
import { everyOwnerForMaintenance, type OwnerScope, ownerScope, ownerScopeOfAnswerJob } from './owner-scope';

const user = new AccessContext({ kind: 'user', id: 'user-1', roles: ['analyst'] }, null);

/**
 * Checked by `tsc -p tsconfig.json` in `pnpm lint`, never run: each `@ts-expect-error` line must fail to
 * compile, or tsc reports the directive as unused. This is what "an unscoped query does not compile" means.
 */
export function scopingDoesNotCompileWithoutAScope(
  messages: MessagesRepository,
  conversations: ConversationsRepository,
  insights: InsightsRepository,
): void {
  // @ts-expect-error a worker method without a scope
  void messages.start('reply-1');
  // @ts-expect-error an owner id is not a scope
  void messages.complete('user-1', 'reply-1', {
    content: '',
    intent: null,
    modelVersion: null,
    provider: 'x',
    fallback: false,
  });
  // @ts-expect-error a hand-made scope: the brand is not exported, so an object literal is not one
  void messages.saveDraft({ ownerId: 'user-1' }, 'reply-1', 'draft');
  // @ts-expect-error a hand-made scope declared with the type
  const forged: OwnerScope = { ownerId: 'user-1' };
  void messages.draft(forged, 'reply-1');
  // @ts-expect-error the sweeper's every-owner scope cannot stand in for one owner
  void messages.fail(everyOwnerForMaintenance(), 'reply-1', 'X');
  // @ts-expect-error one owner's scope cannot run the sweeper
  void messages.orphans(ownerScope(user), 60, 10);
  // @ts-expect-error a conversation without a scope
  void conversations.find('conversation-1');
  // @ts-expect-error an insight without the caller's access context
  void insights.findById('insight-1');
  // @ts-expect-error an access context is made by the authenticator, not written as an object literal
  void insights.findById({ principal: { kind: 'user', id: 'user-1', roles: ['admin'] } }, 'insight-1');
  // @ts-expect-error a scope is minted from an access context, not from a user id
  void ownerScope('user-1');

  // The minted forms compile.
  void messages.start(ownerScope(user), 'reply-1');
  void messages.draft(ownerScopeOfAnswerJob({ replyId: 'reply-1', ownerId: 'user-1' }), 'reply-1');
  void insights.findById(user, 'insight-1');
}

describe('owner scope', () => {
  it("When a user calls, then the scope is the user's own data", () => {
    expect(ownerScope(user).ownerId).toBe('user-1');
  });

  it('When an API key calls, then the scope is its owner', () => {
    const key = new AccessContext(
      { kind: 'api_key', id: 'key-1', roles: [], actingFor: { id: 'owner-9', roles: ['analyst'] } },
      null,
    );
    expect(ownerScope(key).ownerId).toBe('owner-9');
  });

  it('When a service acting for nobody calls, then no scope is minted and the answer is 403', () => {
    const service = new AccessContext({ kind: 'service', id: 'query-service', roles: [] }, null);
    expect(() => ownerScope(service)).toThrow(expect.objectContaining({ status: 403 }));
  });
});
