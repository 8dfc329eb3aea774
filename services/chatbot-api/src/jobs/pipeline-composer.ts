import type { IntentClassifier } from '../classifier';
import type { AnswerLanguage, LlmProvider } from '../llm';
import { AnswerComposer, type AnswerHooks, type AnswerRequest, type ComposedAnswer } from './answer-composer';
import { type QueryClient, QueryRefused } from './query-client';

const ANALYTICS = new Set([
  'sales_summary',
  'revenue_trend',
  'top_products',
  'segment_breakdown',
  'compare_periods',
  'open_analysis',
]);

const CANNED: Record<string, Record<AnswerLanguage, string>> = {
  smalltalk: {
    en: 'Hello! I answer questions about the sales warehouse, for example "revenue in EMEA for Q1 2024 by category".',
    es: '¡Hola! Respondo preguntas sobre el almacén de ventas, por ejemplo «ingresos en EMEA en el primer trimestre de 2024 por categoría».',
  },
  help: {
    en: 'Ask about sales, revenue, units, margin or orders by region, category, product or customer segment, over any period ("Q1 2024", "last 7 days", "H1 2023"). I can compare periods, rank top products and show trends.',
    es: 'Pregunta por ventas, ingresos, unidades, margen o pedidos por región, categoría, producto o segmento, en cualquier periodo («T1 2024», «últimos 7 días»). Puedo comparar periodos, listar los productos principales y mostrar tendencias.',
  },
  out_of_scope: {
    en: 'I can only answer questions about the sales data in the warehouse.',
    es: 'Solo puedo responder preguntas sobre los datos de ventas del almacén.',
  },
  no_access: {
    en: "Your role does not include warehouse data, so I can't answer this. An administrator can grant analyst access.",
    es: 'Tu rol no incluye datos del almacén, así que no puedo responder. Un administrador puede darte acceso de analista.',
  },
  unavailable: {
    en: 'The analytics service is unavailable right now; please ask again in a minute.',
    es: 'El servicio de análisis no está disponible ahora mismo; vuelve a preguntar en un minuto.',
  },
};

/**
 * The answer of ARCHITECTURE §1: classify (routing recorded with its model version), ask the query
 * service for the user's scope, let the LLM provider phrase the rows, and stream. Every text leaves
 * through the processor's gate; this class never writes or streams on its own.
 */
export class PipelineComposer extends AnswerComposer {
  constructor(
    private readonly classifier: IntentClassifier,
    private readonly queries: QueryClient,
    private readonly llm: LlmProvider,
  ) {
    super();
  }

  async compose(request: AnswerRequest, hooks: AnswerHooks): Promise<ComposedAnswer> {
    const classified = this.classifier.classify(request.question, { subject: request.userId });
    const language: AnswerLanguage = classified.language === 'es' ? 'es' : 'en';
    const meta = { intent: classified.intent, modelVersion: classified.modelVersion };
    const say = async (content: string, provider: string, fallback = false): Promise<ComposedAnswer> => {
      await hooks.token(content);
      return { content, provider, fallback, ...meta };
    };

    if (classified.decision === 'clarify')
      return say(classified.clarifyingQuestion ?? CANNED.help![language], 'classifier');
    if (!ANALYTICS.has(classified.intent))
      return say((CANNED[classified.intent] ?? CANNED.out_of_scope!)[language], 'canned');
    // Q8.3: the permission as it is now; a user demoted since asking gets a refusal, never the data, and
    // never a draft an earlier attempt wrote while they still had the role.
    if (!request.canQueryWarehouse) return say(CANNED.no_access![language], 'policy');

    // Q4.3: a retried job reuses the text a previous attempt already generated (and paid for), once the
    // permission above has been checked again.
    const draft = await hooks.draft();
    if (draft) return say(draft, 'draft');

    let grounding;
    try {
      grounding = await this.queries.ask(request.question, {
        id: request.userId,
        roles: request.roles,
        region: request.region,
      });
    } catch (error) {
      if (error instanceof QueryRefused) return say(error.detail, 'query-service');
      return say(CANNED.unavailable![language], 'fallback', true);
    }

    let content = '';
    let done: { provider: string; fallback: boolean } = { provider: this.llm.name, fallback: false };
    for await (const chunk of this.llm.generate({
      messages: [
        ...request.history.filter((m) => m.content).map((m) => ({ role: m.author, content: m.content! })),
        { role: 'user' as const, content: request.question },
      ],
      grounding,
      language,
    })) {
      if (chunk.type === 'token') {
        content += chunk.text;
        await hooks.token(chunk.text);
      } else if (chunk.type === 'reset') {
        content = '';
      } else {
        done = { provider: `${chunk.provider}:${chunk.model}`, fallback: chunk.fallback };
      }
    }
    await hooks.saveDraft(content);
    return { content, ...done, ...meta };
  }
}
