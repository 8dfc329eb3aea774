export type MessageStatus = 'queued' | 'running' | 'done' | 'failed';
export type Lane = 'short' | 'long';
