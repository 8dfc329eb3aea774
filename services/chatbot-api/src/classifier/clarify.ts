import type { Intent } from './intents';
import type { SupportedLanguage } from './language';

/** How each intent is offered back to a user who has to choose ("Do you want A, or B?"). */
const OFFER: Record<SupportedLanguage, Record<Intent, string>> = {
  en: {
    sales_summary: 'a total (sales, revenue, units…) for a period',
    revenue_trend: 'how a figure changed over time',
    top_products: 'the best or worst selling products',
    segment_breakdown: 'a breakdown by region, segment or category',
    compare_periods: 'a comparison of two periods',
    smalltalk: 'just to chat',
    help: 'to know what I can answer',
    out_of_scope: 'something other than sales analytics',
  },
  es: {
    sales_summary: 'un total (ventas, ingresos, unidades…) de un periodo',
    revenue_trend: 'cómo cambió una cifra en el tiempo',
    top_products: 'los productos más o menos vendidos',
    segment_breakdown: 'un desglose por región, segmento o categoría',
    compare_periods: 'comparar dos periodos',
    smalltalk: 'solo charlar',
    help: 'saber qué puedo responder',
    out_of_scope: 'algo distinto de la analítica de ventas',
  },
};

const NOT_UNDERSTOOD: Record<SupportedLanguage, string> = {
  en: 'Sorry, I didn\'t get that. You can ask, for example, "revenue in EMEA for Q1 2024" or "top 5 products last month".',
  es: 'Perdona, no te he entendido. Puedes preguntar, por ejemplo, «ingresos en EMEA en el primer trimestre de 2024» o «los 5 productos más vendidos el mes pasado».',
};

const UNSUPPORTED_LANGUAGE =
  'I can answer in English or Spanish; could you ask again in one of them? / ' +
  'Puedo responder en inglés o en español; ¿puedes volver a preguntar en uno de los dos?';

/**
 * Q7.1: instead of acting on a guess, the assistant asks, naming the two readings it hesitates between,
 * in the user's language. One extra turn costs the user seconds; a confident wrong answer costs trust.
 */
export function clarifyingQuestion(
  language: SupportedLanguage | null,
  candidates: readonly [Intent, Intent] | null,
): string {
  if (language === null) return UNSUPPORTED_LANGUAGE;
  if (candidates === null) return NOT_UNDERSTOOD[language];
  const [first, second] = candidates;
  return language === 'es'
    ? `¿Quieres ${OFFER.es[first]}, o ${OFFER.es[second]}?`
    : `Do you want ${OFFER.en[first]}, or ${OFFER.en[second]}?`;
}
