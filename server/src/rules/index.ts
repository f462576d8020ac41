// Every rule, in catalog order. The catalog test checks that this list matches the files in this
// folder, and that each rule has its lesson and its tests.
import type { Rule } from './createRule';
import outboundRequestWithoutTimeout from './outbound-request-without-timeout';
import serverKeepaliveTimeoutBelowLbIdle from './server-keepalive-timeout-below-lb-idle';
import tlsCertificateValidationDisabled from './tls-certificate-validation-disabled';
import sequentialRequestsInLoop from './sequential-requests-in-loop';
import unboundedRequestFanout from './unbounded-request-fanout';
import dnsLookupOnHotPath from './dns-lookup-on-hot-path';
import cleartextHttpToRemote from './cleartext-http-to-remote';
import tlsWeakProtocolOrCipher from './tls-weak-protocol-or-cipher';
import localhostAddressFamilyAmbiguity from './localhost-address-family-ambiguity';
import serverCloseWithoutIdleDrain from './server-close-without-idle-drain';
import retryWithoutBackoffOrIdempotency from './retry-without-backoff-or-idempotency';
import serverHeadersTimeoutMisordered from './server-headers-timeout-misordered';
import fetchAbortExceedsUndiciTimeouts from './fetch-abort-exceeds-undici-timeouts';
import holBlockingSingleConnection from './hol-blocking-single-connection';
import serverTimeoutsDisabled from './server-timeouts-disabled';
import httpKeepaliveDisabled from './http-keepalive-disabled';
import httpAgentPerRequest from './http-agent-per-request';
import responseBodyNotConsumed from './response-body-not-consumed';
import clientKeepaliveOutlivesServer from './client-keepalive-outlives-server';

export const RULES: readonly Rule[] = [
  serverKeepaliveTimeoutBelowLbIdle,
  outboundRequestWithoutTimeout,
  tlsCertificateValidationDisabled,
  httpKeepaliveDisabled,
  httpAgentPerRequest,
  responseBodyNotConsumed,
  clientKeepaliveOutlivesServer,
  unboundedRequestFanout,
  localhostAddressFamilyAmbiguity,
  serverCloseWithoutIdleDrain,
  retryWithoutBackoffOrIdempotency,
  dnsLookupOnHotPath,
  serverTimeoutsDisabled,
  serverHeadersTimeoutMisordered,
  fetchAbortExceedsUndiciTimeouts,
  sequentialRequestsInLoop,
  tlsWeakProtocolOrCipher,
  cleartextHttpToRemote,
  holBlockingSingleConnection,
] as Rule[];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);

const byId = new Map(RULES.map((r) => [r.meta.id, r]));
export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
