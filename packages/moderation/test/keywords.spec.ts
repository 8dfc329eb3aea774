import { KeywordAutomaton, defaultWordLists, type KeywordList, type ScanStats } from '../src/keywords';
import { normalise, toOriginal } from '../src/text';

function buildLists(overrides: Partial<KeywordList> = {}): KeywordList[] {
  return [{ id: 'test', terms: ['shit', 'piece of shit', 'Kung Pao', 'Scheiße', 'g-spot', '🖕'], ...overrides }];
}

function hitsIn(automaton: KeywordAutomaton, original: string) {
  const { folded } = normalise(original);
  return automaton.scan(folded.text).map((hit) => ({ ...hit, original: toOriginal(folded, hit.from, hit.to) }));
}

describe('KeywordAutomaton (Q30.1)', () => {
  const defaults = KeywordAutomaton.compile(defaultWordLists());

  it('When the default lists are loaded, then every language is there with its terms', () => {
    const lists = defaultWordLists();

    expect(lists.map((list) => list.id)).toEqual([
      'profanity:en',
      'profanity:de',
      'profanity:es',
      'profanity:fr',
      'profanity:it',
      'profanity:pt',
    ]);
    expect(defaults.termCount).toBeGreaterThan(800);
  });

  it('When a plain word appears, then the hit carries view offsets that map to the original word', () => {
    const automaton = KeywordAutomaton.compile(buildLists());
    const original = 'Oh SHIT, again';

    const hits = hitsIn(automaton, original);

    expect(hits).toEqual([{ listId: 'test', term: 'shit', from: 3, to: 7, original: { start: 3, end: 7 } }]);
  });

  it('When a multi-word term appears with extra spaces or hyphens, then it is one hit plus its inner terms', () => {
    const automaton = KeywordAutomaton.compile(buildLists());

    const hits = automaton.scan('what a piece   of shit and a g spot');

    expect(hits.map((h) => [h.term, h.from, h.to])).toEqual([
      ['piece of shit', 7, 22],
      ['shit', 18, 22],
      ['g spot', 29, 35],
    ]);
  });

  it('When terms are written with capitals and accents, then they fold like the text', () => {
    const automaton = KeywordAutomaton.compile(buildLists());

    const hits = hitsIn(automaton, 'So eine SCHEISSE? Nein: Scheiße! kung   pao');

    expect(hits.map((h) => h.term)).toEqual(['scheisse', 'scheisse', 'kung pao']);
  });

  it('When a word is disguised, then the folded view still hits and maps back to the disguise', () => {
    const original = 'you f.u.c.k, $h1t and fu\u200bck';

    const hits = hitsIn(defaults, original).filter((h) => h.listId === 'profanity:en');

    expect(hits.map((h) => original.slice(h.original.start, h.original.end))).toEqual([
      'f.u.c.k',
      '$h1t',
      'fu\u200bck',
    ]);
  });

  it('When a term is a symbol, then it hits without word boundaries', () => {
    const automaton = KeywordAutomaton.compile(buildLists());

    expect(automaton.scan('x🖕x').map((h) => [h.from, h.to])).toEqual([[1, 3]]);
  });

  it.each([
    'Scunthorpe',
    'a classic assessment',
    'Kung Fu',
    'a cocktail in Sussex',
    'my therapist',
    'grapefruit',
    'shitake mushrooms',
    'Essex passes the bass',
    'Dickens and Hancock',
    'analysis of the document',
  ])('When benign words embed a listed one (%j), then there are no hits', (original) => {
    const hits = hitsIn(defaults, original);

    expect(hits).toEqual([]);
  });

  it('When the text is repeated, then transitions and hits grow linearly', () => {
    const unit = 'shit happens, piece of shit, a classic ass move with aaaaaaaaaaaaaa and sssssss. ';
    const once: ScanStats = { steps: 0, hits: 0 };
    const many: ScanStats = { steps: 0, hits: 0 };

    defaults.scan(normalise(unit).folded.text, once);
    defaults.scan(normalise(unit.repeat(1000)).folded.text, many);

    expect(once.hits).toBeGreaterThan(0);
    expect(many.steps).toBeLessThanOrEqual(1000 * once.steps);
    expect(many.hits).toBe(1000 * once.hits);
  });

  it('When the lists are empty or hold only blanks, then nothing hits', () => {
    const automaton = KeywordAutomaton.compile([{ id: 'empty', terms: ['', '   '] }]);

    expect(automaton.termCount).toBe(0);
    expect(automaton.scan('anything at all')).toEqual([]);
  });
});
