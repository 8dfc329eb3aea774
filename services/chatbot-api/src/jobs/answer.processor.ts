import { Inject, Injectable } from '@nestjs/common';
import { buildAbility, RoleCatalog, UsersRepository } from '@casebook/auth';
import { bestEffort, LOGGER, type Logger, Metrics } from '@casebook/platform';
import type { Job } from 'bullmq';
import Redis from 'ioredis';
import { type OwnerScope, ownerScopeOfAnswerJob } from '../conversations/owner-scope';
import { MessagesRepository } from '../messages/messages.repository';
import { OUTBOUND_GATE, type OutboundGate } from '../llm';
import { AnswerComposer } from './answer-composer';
import type { AnswerJob } from './queues';
import { ReplyEventLog } from './reply-events';
import { withJobSpan } from './trace';

export type AnswerOutcome = 'answered' | 'already-done' | 'failed';

/**
 * One answer job. Safe to run twice for the same reply (a stalled job retried after a crash): the reply
 * row is claimed with a conditional update, the generated draft is reused, and the final write only
 * happens while the reply is not done (Q4.3).
 */
@Injectable()
export class AnswerProcessor {
  private readonly outcomes;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly users: UsersRepository,
    private readonly roles: RoleCatalog,
    private readonly composer: AnswerComposer,
    @Inject(OUTBOUND_GATE) private readonly gate: OutboundGate,
    private readonly events: ReplyEventLog,
    private readonly redis: Redis,
    metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.outcomes = metrics.counter('chatbot_answers_total', 'Answer jobs by lane and outcome.', ['lane', 'outcome']);
  }

  async process(job: Job<AnswerJob>): Promise<AnswerOutcome> {
    return withJobSpan('answer', job.data.trace, async () => {
      const outcome = await this.answer(job);
      this.outcomes.inc({ lane: job.queueName, outcome });
      // The fair-share counter counts answers waiting; this one is no longer waiting (a retry throws instead).
      await bestEffort(this.redis.decr(`answers:pending:{${job.data.ownerId}}`), 'answers.pending.decr');
      return outcome;
    });
  }

  private async answer(job: Job<AnswerJob>): Promise<AnswerOutcome> {
    const { replyId, ownerId } = job.data;
    const scope = ownerScopeOfAnswerJob(job.data);
    const started = await this.messages.start(scope, replyId);
    if (!started) return 'already-done';
    await bestEffort(this.events.append(replyId, 'status', 'running'), 'reply-events.append');
    try {
      const user = await this.users.findById(ownerId);
      if (!user) {
        await this.finishFailed(scope, replyId, 'USER_GONE');
        return 'failed';
      }
      // Q8.3: permissions are checked as they are now. A user demoted while the job waited is answered
      // within their new role, never with the old one's data.
      const ability = buildAbility(await this.roles.roles(), { id: user.id, roles: user.roles, region: user.region });
      const path = await this.messages.path(scope, started.parentId);
      const question = path[path.length - 1];
      if (!question?.content) {
        await this.finishFailed(scope, replyId, 'QUESTION_GONE');
        return 'failed';
      }
      // ARCHITECTURE §6: every outbound text, streamed or stored, passes the gate; a stream holds back a tail.
      const context = {
        userId: ownerId,
        region: user.region,
        conversationId: started.conversationId,
        messageId: replyId,
      };
      const stream = this.gate.openStream({ ...context, channel: 'streamed' });
      let stopped = false;
      const release = async (text: string) => {
        if (text) await bestEffort(this.events.append(replyId, 'token', text), 'reply-events.append');
      };
      const composed = await this.composer.compose(
        {
          replyId,
          userId: user.id,
          roles: user.roles,
          region: user.region,
          question: question.content,
          history: path.slice(0, -1),
          intent: question.intent,
          canQueryWarehouse: ability.can('query', 'Warehouse'),
        },
        {
          token: async (text) => {
            if (stopped) return;
            const cleared = await stream.push(text);
            await release(cleared.text);
            stopped = cleared.stop;
          },
          saveDraft: (text) => this.messages.saveDraft(scope, replyId, text),
          draft: () => this.messages.draft(scope, replyId),
        },
      );
      if (!stopped) await release((await stream.end()).text);
      const { text: content } = await this.gate.review(composed.content, {
        ...context,
        channel: 'stored',
        fallback: composed.fallback,
      });
      const written = await this.messages.complete(scope, replyId, { ...composed, content });
      if (written) {
        await bestEffort(
          this.events.append(
            replyId,
            'done',
            JSON.stringify({ content, provider: composed.provider, fallback: composed.fallback }),
          ),
          'reply-events.append',
        );
      }
      return written ? 'answered' : 'already-done';
    } catch (error) {
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) {
        this.logger.error({ err: error, replyId }, 'answer failed for good');
        await this.finishFailed(scope, replyId, 'ANSWER_FAILED');
        return 'failed';
      }
      throw error;
    }
  }

  private async finishFailed(scope: OwnerScope, replyId: string, code: string): Promise<void> {
    await this.messages.fail(scope, replyId, code);
    await bestEffort(this.events.append(replyId, 'failed', JSON.stringify({ errorCode: code })), 'reply-events.append');
  }
}
