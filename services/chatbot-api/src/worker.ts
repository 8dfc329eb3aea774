import { startTelemetry } from '@casebook/telemetry';

startTelemetry('chatbot-worker');
void import('./worker/run').then(({ runChatbotWorker }) => runChatbotWorker());
