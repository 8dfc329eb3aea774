/**
 * Q32.2, Q32.4: the engine's adversarial regression set. `[[…]]` marks the part an evasion rewrites.
 * Toxic cases hold no slurs: profanity and insults are enough to prove the evasions are undone.
 */
export interface AdversarialCase {
  id: string;
  kind: 'toxic' | 'pii' | 'benign';
  text: string;
  /** For PII cases: the value whose characters must never survive redaction (compared without separators). */
  secret?: string;
}

export const ADVERSARIAL_CASES: readonly AdversarialCase[] = [
  { id: 'toxic-insult', kind: 'toxic', text: 'you are a [[fucking idiot]]' },
  { id: 'toxic-profanity', kind: 'toxic', text: 'this report is [[shit]]' },
  { id: 'toxic-asshole', kind: 'toxic', text: 'shut up, [[asshole]]' },
  { id: 'toxic-bullshit', kind: 'toxic', text: 'what [[bullshit]] numbers' },
  { id: 'toxic-motherfucker', kind: 'toxic', text: 'listen [[motherfucker]]' },
  { id: 'toxic-cunt', kind: 'toxic', text: 'you are such a [[cunt]]' },
  { id: 'toxic-de', kind: 'toxic', text: 'du bist ein [[arschloch]]' },
  { id: 'toxic-pt', kind: 'toxic', text: 'seu [[filho da puta]]' },
  { id: 'pii-email', kind: 'pii', text: 'write to [[john.doe@example.com]] today', secret: 'john.doe@example.com' },
  { id: 'pii-card', kind: 'pii', text: 'my [[card]] is [[4111 1111 1111 1111]]', secret: '4111111111111111' },
  {
    id: 'pii-iban',
    kind: 'pii',
    text: 'the [[IBAN]] is [[DE89 3704 0044 0532 0130 00]]',
    secret: 'DE89370400440532013000',
  },
  { id: 'pii-ssn', kind: 'pii', text: 'his [[social security]] number is [[219-09-9999]]', secret: '219099999' },
  { id: 'pii-cpf', kind: 'pii', text: 'meu [[CPF]] é [[111.444.777-35]]', secret: '11144477735' },
  { id: 'pii-phone', kind: 'pii', text: 'call me [[on my phone]] [[+1 415 555 2671]]', secret: '4155552671' },
  { id: 'benign-scunthorpe', kind: 'benign', text: 'Scunthorpe United won at home' },
  { id: 'benign-classic', kind: 'benign', text: 'a classic assessment of the cocktail menu' },
  { id: 'benign-kung-fu', kind: 'benign', text: 'we watched Kung Fu Panda with the analysts' },
  { id: 'benign-essex', kind: 'benign', text: 'sales in Sussex, Essex and Middlesex grew' },
  { id: 'benign-cumulative', kind: 'benign', text: 'cumulative revenue and analytics by therapist' },
  { id: 'benign-shiitake', kind: 'benign', text: 'shiitake and grapefruit lead the category' },
  { id: 'benign-button', kind: 'benign', text: 'press the button on the Hancock dashboard' },
  { id: 'benign-numbers', kind: 'benign', text: 'revenue was 4111 in Q1 2024 and 1234 in Q2' },
];
