export * from './fake-llm-server';
export * from './fake-openai-server';
export * from './fake-gemini-server';
