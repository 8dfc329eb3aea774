/** Benign analytics replies, the text the chatbot's output gate sees most (deterministic). */
const SENTENCES = [
  'Revenue in EMEA for Q1 2024 was 12.4 million euros across five categories, up 8.3% on the previous quarter.',
  'Electronics led with 4.1 million (33%), followed by home and garden at 2.9 million and apparel at 2.2 million.',
  'The enterprise segment grew fastest, while small-business orders were flat in Germany and slightly down in France.',
  'Margins held at 41% overall; the drop in apparel came from higher shipping costs in February.',
  'If you want, I can break this down by month or compare it with the same quarter of 2023.',
  'Units sold rose to 184,200, and the average order value was 67.30 euros, the highest since 2022.',
  'Returns stayed below 3% in every category except apparel, where they reached 6.1% in March.',
  'The top three products by revenue were all laptops; together they made up 14% of the quarter.',
];

/** A 500-character reply, as the case study's typical chat answer. */
export function chatReply(): string {
  return fill(500);
}

/** `length` characters of reply text, in sentences (a chunked reply of that size). */
export function longReply(length: number): string {
  return fill(length);
}

function fill(length: number): string {
  let out = '';
  for (let i = 0; out.length < length; i += 1) out += (out ? ' ' : '') + SENTENCES[i % SENTENCES.length];
  return out.slice(0, length);
}
