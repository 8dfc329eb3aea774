// Test and benchmark fixtures; not exported from the package root (only compiled to dist/testing).
export * from './config';
export * from './fixture.module';
