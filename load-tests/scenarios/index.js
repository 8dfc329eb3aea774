// Every scenario by name, for k6, which cannot import a module chosen at run time. The Node driver loads files by
// name directly; a test checks this list matches the files in this folder.
import chatAnswerCached from './chat-answer-cached.js';
import chatPostMessage from './chat-post-message.js';
import healthChatbotApi from './health-chatbot-api.js';
import healthModerationService from './health-moderation-service.js';
import healthQueryService from './health-query-service.js';
import queryCached from './query-cached.js';
import queryUncached from './query-uncached.js';

/** @type {Record<string, import('../src/scenario').AnyScenario>} */
export const scenarios = {
  [chatAnswerCached.name]: chatAnswerCached,
  [chatPostMessage.name]: chatPostMessage,
  [healthChatbotApi.name]: healthChatbotApi,
  [healthQueryService.name]: healthQueryService,
  [healthModerationService.name]: healthModerationService,
  [queryCached.name]: queryCached,
  [queryUncached.name]: queryUncached,
};
