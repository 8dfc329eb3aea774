export { KeywordAutomaton, foldTerm } from './automaton';
export type { KeywordList, ScanStats, ViewHit } from './automaton';
export { defaultWordLists } from './wordlists';
