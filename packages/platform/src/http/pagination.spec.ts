import { ProblemError } from '../errors/problem';
import { decodeCursor, encodeCursor, toPage } from './pagination';

describe('cursor pagination', () => {
  it('When a page has more rows than the limit, then it returns limit rows and a cursor at the last one', () => {
    const page = toPage([{ id: 1 }, { id: 2 }, { id: 3 }], 2, (row) => ({ id: row.id }));
    expect(page.data).toEqual([{ id: 1 }, { id: 2 }]);
    expect(decodeCursor(page.nextCursor!, ['id'])).toEqual({ id: 2 });
  });

  it('When the last page is reached, then nextCursor is null', () => {
    expect(toPage([{ id: 1 }], 2, (row) => ({ id: row.id })).nextCursor).toBeNull();
  });

  it('When a cursor was not issued by the API, then it is a validation problem naming cursor', () => {
    for (const bad of ['%%%', encodeCursor({ other: 1 }), Buffer.from('[1]').toString('base64url')]) {
      try {
        decodeCursor(bad, ['id']);
        throw new Error('expected a ProblemError');
      } catch (error) {
        expect(error).toBeInstanceOf(ProblemError);
        expect((error as ProblemError).errors?.[0]?.field).toBe('cursor');
      }
    }
  });
});
