import { Injectable } from '@nestjs/common';
import { type AccessContext, type Principal, UsersRepository } from '@casebook/auth';
import { type HttpReply, ProblemError } from '@casebook/platform';
import { ownerScope } from '../conversations/owner-scope';
import { type ErasureRequest, ErasureService } from './erasure.service';

export type AcceptedErasure = ErasureRequest & { links: { status: string } };

function accepted(request: ErasureRequest): HttpReply<AcceptedErasure> {
  return {
    status: 202,
    headers: { location: `/v1/erasures/${request.id}` },
    body: { ...request, links: { status: `/v1/erasures/${request.id}` } },
  };
}

/** The erasure API: who may ask to erase whom, and what the caller may see of the request afterwards. */
@Injectable()
export class ErasureRequests {
  constructor(
    private readonly erasure: ErasureService,
    private readonly users: UsersRepository,
  ) {}

  /** The caller erases their own data. */
  async eraseMine(access: AccessContext): Promise<HttpReply<AcceptedErasure>> {
    const { ownerId } = ownerScope(access);
    return accepted(await this.erasure.request(ownerId, ownerId));
  }

  /** An administrator erases a user's data; 404 when there is no such user. */
  async eraseUser(userId: string, requestedBy: Principal): Promise<HttpReply<AcceptedErasure>> {
    if (!(await this.users.findById(userId))) throw ProblemError.notFound('User');
    return accepted(await this.erasure.request(userId, requestedBy.id));
  }

  /** A request the caller made or is the subject of (any request for an administrator). */
  status(access: AccessContext, id: string): Promise<ErasureRequest> {
    return this.erasure.find(id, { userId: ownerScope(access).ownerId, admin: access.canAll('erase', 'User') });
  }
}
