export { StreamModerator, DEFAULT_REPLACEMENT } from './stream-moderator';
export type { StreamEmission, StreamOptions, StreamResult } from './stream-moderator';
