import { cpus, loadavg } from 'node:os';
import { INTENTS } from '../intents';
import type { DecisionStats, Metrics } from './evaluate';
import type { DetectorScore } from './language-study';
import type { VersionEvaluation } from './pipeline';

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const f3 = (x: number): string => x.toFixed(3);

/** The held-out accuracy line; the tests read it back (`Accuracy: 0.9375 (135 / 144)`). */
export function accuracyLine(metrics: Metrics): string {
  return `Accuracy: ${metrics.accuracy.toFixed(4)} (${metrics.correct} / ${metrics.total})`;
}

export const ACCURACY_PATTERN = /^Accuracy: (\d\.\d{4}) \((\d+) \/ (\d+)\)$/m;

export function renderReport(
  evaluation: VersionEvaluation,
  languages: readonly DetectorScore[],
  command: string,
): string {
  const { spec, metrics, thresholds, decisions } = evaluation;
  const chosen = thresholds.chosen;
  const lines: string[] = [
    `# ${spec.version} — evaluation on the held-out split`,
    '',
    `Written by \`${command}\` ([train-intents.ts](../src/cli/train-intents.ts)); do not edit by hand.`,
    `The model is [${spec.version}.json](${spec.version}.json); how it is built and used: [ADR 0011](../../../docs/adr/0011-intent-classifier.md).`,
    '',
    '| | |',
    '| --- | --- |',
    `| model | ${spec.description} |`,
    `| data | [data/intents/intents.jsonl](../data/intents/intents.jsonl), ${evaluation.datasetRows} questions (English and Spanish) |`,
    `| split | stratified by intent × language: ${evaluation.trainRows} to train, ${evaluation.heldOutRows} held out |`,
    `| features | ${evaluation.featureCount} (seen in ≥ ${spec.minDocumentFrequency} training question${spec.minDocumentFrequency > 1 ? 's' : ''}) |`,
    `| training | ${spec.epochs} epochs, batch ${spec.batchSize}, Adam lr ${spec.learningRate}, L2 ${spec.l2} |`,
    `| thresholds | route when confidence ≥ ${chosen.confidence} and margin ≥ ${chosen.margin}, otherwise ask |`,
    '',
    '## Held-out accuracy',
    '',
    accuracyLine(metrics),
    '',
    `Macro F1 ${f3(metrics.macroF1)}; ${metrics.perLanguage.map((l) => `${l.lang === 'en' ? 'English' : 'Spanish'} ${pct(l.accuracy)} of ${l.total}`).join(', ')}. Argmax over the intents, before thresholds.`,
    '',
    '| intent | precision | recall | F1 | support |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...metrics.perIntent.map(
      (m) => `| ${m.intent} | ${f3(m.precision)} | ${f3(m.recall)} | ${f3(m.f1)} | ${m.support} |`,
    ),
    '',
    '## Confusion matrix',
    '',
    'Rows are the labelled intent, columns the predicted one.',
    '',
    `| | ${INTENTS.map(short).join(' | ')} |`,
    `| --- | ${INTENTS.map(() => '---:').join(' | ')} |`,
    ...INTENTS.map(
      (intent, i) =>
        `| ${intent} | ${metrics.confusion[i]!.map((n, j) => (i === j ? `**${n}**` : String(n || '·'))).join(' | ')} |`,
    ),
    '',
    '## Decisions with the thresholds',
    '',
    'What users get on the held-out questions, through the runtime classifier (language detection included):',
    '',
    '| questions | routed | routed right | misrouted | clarified | clarified although right |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    decisionRow('all', decisions),
    ...evaluation.decisionsByLanguage.map(({ lang, stats }) =>
      decisionRow(lang === 'en' ? 'English' : 'Spanish', stats),
    ),
    '',
    evaluation.misrouted.length === 0
      ? 'No held-out question was routed to a wrong intent.'
      : 'Held-out questions routed to a wrong intent:',
    '',
    ...(evaluation.misrouted.length === 0
      ? []
      : [
          '| question | labelled | routed to | confidence | margin |',
          '| --- | --- | --- | ---: | ---: |',
          ...evaluation.misrouted.map(
            (m) =>
              `| ${m.text.replace(/\|/g, '\\|')} | ${m.truth} | ${m.predicted} | ${f3(m.confidence)} | ${f3(m.margin)} |`,
          ),
          '',
        ]),
    '## How the thresholds were chosen',
    '',
    `Out-of-fold predictions of the training split (${evaluation.trainRows} questions, 5 folds: each question scored by a`,
    'model that did not see it), on a grid of confidence 0.20–0.90 × margin 0.00–0.50 in steps of 0.05. Chosen: the pair',
    `with the lowest cost, counting a clarifying question as 1 and a wrong route as ${thresholds.misrouteCost}. The held-out split plays no`,
    'part in the choice, so the figures above are not tuned to it.',
    '',
    '| confidence | margin | routed | routed right | misrouted | clarified | cost |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...pickGridRows(evaluation).map(
      (p) =>
        `| ${p.confidence.toFixed(2)} | ${p.margin.toFixed(2)} | ${pct(p.coverage)} | ${pct(p.routedAccuracy)} | ${p.misrouted} | ${p.clarified} | ${thresholds.misrouteCost * p.misrouted + p.clarified}${p === chosen ? ' ← chosen' : ''} |`,
    ),
    '',
  ];

  if (evaluation.englishOnly) {
    const study = evaluation.englishOnly;
    const spanish = study.spanishDecisions;
    lines.push(
      '## Trained on English only, asked in Spanish (Q7.4)',
      '',
      `The same recipe trained on the English training rows only (thresholds chosen the same way: confidence ≥ ${study.thresholds.confidence}, margin ≥ ${study.thresholds.margin}):`,
      '',
      '| graded on | accuracy (argmax) | routed | misrouted | clarified |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| English held-out | ${pct(study.english.accuracy)} | | | |`,
      `| Spanish held-out | ${pct(study.spanish.accuracy)} | ${spanish.routed} / ${spanish.total} | ${spanish.misrouted} | ${spanish.clarified} |`,
      '',
      `Without Spanish data the model gets ${pct(study.spanish.accuracy)} of Spanish questions right (chance is 12.5 %). Its`,
      `thresholds ${spanish.misrouted === 0 ? 'catch every wrong route' : `still let ${spanish.misrouted} wrong route${spanish.misrouted === 1 ? '' : 's'} through`} and ask back on ${spanish.clarified} of ${spanish.total}:`,
      'safe, but useless to a Spanish speaker. Hence the language check in front of the model (a language without',
      'training data gets a reply saying which languages are served) and Spanish rows in the training data of the shipped versions.',
      '',
    );
  }

  lines.push(
    '## Language detection',
    '',
    'English vs Spanish on all questions of the data set (no training involved):',
    '',
    '| detector | right | called another language | median per question |',
    '| --- | ---: | ---: | ---: |',
    ...languages.map(
      (d) => `| ${d.detector} | ${pct(d.accuracy)} | ${d.calledUnsupported} | ${d.medianUs.toFixed(1)} µs |`,
    ),
    '',
  );

  if (evaluation.latency) {
    const latency = evaluation.latency;
    lines.push(
      '## Inference latency',
      '',
      `One \`IntentClassifier.classify\` call at a time (A/B bucket, language detection, features, prediction, decision),`,
      `${latency.runs} runs of ${latency.calls.toLocaleString('en-US')} calls over the held-out questions after a warm-up; median of the runs (lowest–highest run):`,
      '',
      `median ${latency.medianUs.toFixed(1)} µs (${range(latency.medianRangeUs)}), p99 ${latency.p99Us.toFixed(1)} µs (${range(latency.p99RangeUs)})`,
      '',
      `Measured on Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores shared with other work`,
      `(load average ${loadavg()[0]!.toFixed(1)} while measuring).`,
      '',
    );
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function range([low, high]: [number, number]): string {
  return `${low.toFixed(1)}–${high.toFixed(1)}`;
}

function decisionRow(label: string, s: DecisionStats): string {
  return `| ${label} (${s.total}) | ${pct(s.coverage)} | ${pct(s.routedAccuracy)} | ${s.misrouted} | ${s.clarified} | ${s.clarifiedButRight} |`;
}

function short(intent: string): string {
  return intent
    .replace('sales_summary', 'summary')
    .replace('revenue_trend', 'trend')
    .replace('top_products', 'top')
    .replace('segment_breakdown', 'breakdown')
    .replace('compare_periods', 'compare')
    .replace('out_of_scope', 'out of scope');
}

/** The loosest point, confidence alone at a few levels, the margins around the choice, and the choice. */
function pickGridRows(evaluation: VersionEvaluation): VersionEvaluation['thresholds']['grid'] {
  const { grid, chosen } = evaluation.thresholds;
  const wanted = [
    grid[0]!,
    ...grid.filter((p) => p.margin === 0 && [0.3, 0.4, 0.5, 0.6, 0.7].includes(p.confidence)),
    ...grid.filter((p) => p.confidence === chosen.confidence && [0.1, 0.2, 0.3].includes(p.margin)),
    chosen,
  ];
  return [...new Set(wanted)].sort((a, b) => a.confidence - b.confidence || a.margin - b.margin);
}
