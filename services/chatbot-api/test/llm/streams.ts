import { LlmError } from '../../src/llm/llm-errors';
import type { GroundingData, LlmChunk } from '../../src/llm/llm.types';

/** For the provider specs: every chunk of a stream that ends normally. */
export async function collect(stream: AsyncIterable<LlmChunk>): Promise<LlmChunk[]> {
  const chunks: LlmChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** For the provider specs: the LlmError a stream ends with, and how many tokens came before it. */
export async function failure(stream: AsyncIterable<LlmChunk>): Promise<{ error: LlmError; tokens: number }> {
  let tokens = 0;
  try {
    for await (const chunk of stream) if (chunk.type === 'token') tokens += 1;
  } catch (error) {
    if (error instanceof LlmError) return { error, tokens };
    throw error;
  }
  throw new Error('the stream did not fail');
}

/** EMEA revenue in Q1 2024 by category, as the query service returns it. */
export const EMEA_Q1_BY_CATEGORY: GroundingData = {
  query: {
    metrics: ['revenue'],
    groupBy: ['category'],
    filters: { region: ['EMEA'] },
    time: { from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' },
    timeZone: 'UTC',
  },
  columns: ['category', 'revenue'],
  rows: [
    { category: 'electronics', revenue: 1_234_567.89 },
    { category: 'furniture', revenue: 812_345.5 },
  ],
};
