import { FeatureExtractor, groupScale, type FeatureSpec } from '../features';

/** Rows in CSR form: row r's features are `indexes/values[offsets[r] … offsets[r + 1])`, indexes ascending. */
export interface SparseRows {
  readonly offsets: Int32Array;
  readonly indexes: Int32Array;
  readonly values: Float32Array;
}

class Growable {
  indexes = new Int32Array(1 << 16);
  values = new Float32Array(1 << 16);
  length = 0;

  push(index: number, value: number): void {
    if (this.length === this.indexes.length) {
      const indexes = new Int32Array(this.length * 2);
      const values = new Float32Array(this.length * 2);
      indexes.set(this.indexes);
      values.set(this.values);
      this.indexes = indexes;
      this.values = values;
    }
    this.indexes[this.length] = index;
    this.values[this.length] = value;
    this.length += 1;
  }
}

/** Sums duplicate buckets of one row (collisions, repeated n-grams) the way inference adds them up. */
class RowBuilder {
  private readonly dense: Float64Array;
  private readonly touched: number[] = [];

  constructor(buckets: number) {
    this.dense = new Float64Array(buckets);
  }

  add(index: number, value: number): void {
    if (this.dense[index] === 0) this.touched.push(index);
    this.dense[index] += value;
  }

  flush(out: Growable): void {
    this.touched.sort((a, b) => a - b);
    for (const index of this.touched) {
      out.push(index, this.dense[index]!);
      this.dense[index] = 0;
    }
    this.touched.length = 0;
  }
}

/**
 * The training matrix for the category heads (all n-grams) and for the language scorer (word n-grams,
 * buckets masked to `langBits`), from the same extractor inference uses, so both see the same numbers.
 * Q22.3: with `copies`, every n-gram also sets its bucket in the row's own language block
 * (`(1 + language)·2^bits + bucket`, value × `copies.scale`): "frustratingly easy" domain adaptation,
 * shared weights plus per-language ones.
 */
export function featurise(
  foldedTexts: readonly string[],
  spec: FeatureSpec,
  langBits: number,
  copies?: { languageOf: Int32Array; scale: number },
): { main: SparseRows; lang: SparseRows } {
  const extractor = new FeatureExtractor(spec);
  const main = new Growable();
  const lang = new Growable();
  const buckets = 1 << spec.bits;
  const blocks = copies && copies.scale > 0 ? 4 : 1;
  const mainRow = new RowBuilder(buckets * blocks);
  const langRow = new RowBuilder(1 << langBits);
  const langMask = (1 << langBits) - 1;
  const mainOffsets = new Int32Array(foldedTexts.length + 1);
  const langOffsets = new Int32Array(foldedTexts.length + 1);
  foldedTexts.forEach((text, r) => {
    extractor.extract(text);
    const { indexes, wordCount, charCount } = extractor;
    const end = charCount + wordCount;
    const wordScale = groupScale(wordCount);
    const charScale = groupScale(charCount);
    const own = blocks > 1 ? (1 + copies!.languageOf[r]!) * buckets : -1;
    const copyScale = copies?.scale ?? 0;
    for (let n = 0; n < end; n += 1) {
      const value = n < charCount ? charScale : wordScale;
      mainRow.add(indexes[n]!, value);
      if (own >= 0) mainRow.add(own + indexes[n]!, value * copyScale);
      if (n >= charCount) langRow.add(indexes[n]! & langMask, wordScale);
    }
    mainRow.flush(main);
    langRow.flush(lang);
    mainOffsets[r + 1] = main.length;
    langOffsets[r + 1] = lang.length;
  });
  return {
    main: {
      offsets: mainOffsets,
      indexes: main.indexes.slice(0, main.length),
      values: main.values.slice(0, main.length),
    },
    lang: {
      offsets: langOffsets,
      indexes: lang.indexes.slice(0, lang.length),
      values: lang.values.slice(0, lang.length),
    },
  };
}
