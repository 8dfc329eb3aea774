export { withDeadline, DeadlineExceeded } from './deadline';
export { bestEffort, bestEffortFailures, reportBestEffortTo, type BestEffortLogger } from './best-effort';
export { CircuitBreaker, type BreakerHooks, type BreakerOptions, type BreakerState } from './breaker';
export { callBreaker, breakerRejection, type CallBreaker, type CallBreakerOptions } from './call-breaker';
