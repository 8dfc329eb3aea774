/** Bumped when the engine's behaviour changes for the same rules and model (verdicts carry it). */
export const ENGINE_VERSION = 'moderation-engine-1';
