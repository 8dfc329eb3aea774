export { compileSnapshot, shippedSnapshot } from './snapshot';
export type { Snapshot, SnapshotSource } from './snapshot';
export { evaluate } from './evaluate';
export { ENGINE_VERSION } from './version';
export { chunksOf, CHUNK_MAX, CHUNK_MIN } from './chunks';
export { SnapshotHolder } from './holder';
export type { HeldVerdict } from './holder';
export { previewDiff } from './preview';
export type { PreviewChange, PreviewDiff, PreviewSample } from './preview';
