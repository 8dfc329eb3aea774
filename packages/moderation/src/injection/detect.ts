/**
 * Q30.2: instruction-override patterns in user input and in retrieved content. The patterns run on the
 * folded view (lower case, leet and homoglyphs undone, letters joined), so "1gn0re prev1ous
 * 1nstruct10ns" reads the same as the plain form. A hit is a signal with a score, not a verdict: the
 * rule sets decide (review on input, block when it shows up in output or retrieved text).
 *
 * Detection is the weaker half of the defence. The stronger half is that output is moderated with the
 * same rules whatever the input asked for: a prompt that talks the model into repeating a blocked term
 * still meets the output gate, so the rules' content never leaves through the assistant's reply.
 */
export interface InjectionHit {
  from: number;
  to: number;
  score: number;
  pattern: string;
}

interface Pattern {
  id: string;
  score: number;
  re: RegExp;
}

// Fixed patterns without nested quantifiers; the bounded gaps (`.{0,40}`) keep them linear.
const PATTERNS: readonly Pattern[] = [
  {
    id: 'override-instructions',
    score: 0.9,
    re: /\b(?:ignore|disregard|forget|override|bypass|skip)\b.{0,40}?\b(?:previous|prior|above|earlier|preceding|all|any|your|the|system)\b.{0,20}?\b(?:instructions?|prompts?|rules?|directions?|guidelines?|polic(?:y|ies)|filters?|messages?)\b/g,
  },
  {
    id: 'reveal-system-prompt',
    score: 0.85,
    re: /\b(?:reveal|show|print|repeat|output|display|tell me|what is|what are|leak)\b.{0,30}?\b(?:your|the)\b.{0,20}?\b(?:system prompt|initial prompt|hidden (?:prompt|instructions?)|instructions you were given|prompt above|developer message)\b/g,
  },
  {
    id: 'role-override',
    score: 0.75,
    re: /\b(?:you are now|from now on,? you are|act as|pretend (?:to be|you are)|roleplay as)\b.{0,40}?\b(?:dan|unfiltered|uncensored|jailbroken|without (?:any )?(?:restrictions|rules|filters|limits)|no (?:restrictions|rules|filters|limits))\b/g,
  },
  {
    id: 'developer-mode',
    score: 0.8,
    re: /\b(?:developer mode|jailbreak mode|god mode|dan mode|do anything now)\b/g,
  },
  {
    id: 'fake-system-turn',
    score: 0.7,
    re: /(?:^|\n)\s*(?:system|assistant|developer)\s*:\s|<\|?(?:im_start|system|endoftext)\|?>|\[\/?(?:inst|system)\]/g,
  },
  {
    id: 'encoded-smuggling',
    score: 0.6,
    re: /\b(?:decode|translate|convert)\b.{0,30}?\b(?:base64|hex|rot13|binary)\b.{0,30}?\b(?:and|then)\b.{0,20}?\b(?:follow|execute|obey|do|run)\b/g,
  },
];

/** Every hit in `text` (a folded view), sorted by position; at most one hit per pattern and start. */
export function detectInjection(text: string): InjectionHit[] {
  const hits: InjectionHit[] = [];
  if (text.length === 0) return hits;
  for (const pattern of PATTERNS) {
    pattern.re.lastIndex = 0;
    let count = 0;
    for (let m = pattern.re.exec(text); m !== null && count < 20; m = pattern.re.exec(text)) {
      if (m[0].length === 0) {
        pattern.re.lastIndex += 1;
        continue;
      }
      hits.push({ from: m.index, to: m.index + m[0].length, score: pattern.score, pattern: pattern.id });
      count += 1;
    }
  }
  return hits.sort((a, b) => a.from - b.from || b.score - a.score);
}

/** Cheap gate: none of the patterns can match without one of these words. */
const TRIGGERS =
  /ignore|disregard|forget|override|bypass|skip|reveal|show|print|repeat|output|display|tell me|what (?:is|are)|leak|you are now|from now on|act as|pretend|roleplay|mode|do anything|system|assistant|developer|im_start|endoftext|inst\]|decode|translate|convert/;

export function mayContainInjection(text: string): boolean {
  return TRIGGERS.test(text);
}
