// Every rule, in catalog order. The catalog test checks that this list matches the files in this
// folder, and that each rule has its lesson and its tests.
import type { Rule } from './createRule';
import brokerConnectionPerMessage from './broker-connection-per-message';
import dbClientPerRequest from './db-client-per-request';
import grpcClientPerCall from './grpc-client-per-call';
import grpcKeepaliveTooAggressive from './grpc-keepalive-too-aggressive';
import http2SessionPerRequest from './http2-session-per-request';
import longLivedConnectionWithoutLiveness from './long-lived-connection-without-liveness';
import outboundRequestWithoutTimeout from './outbound-request-without-timeout';
import poolAcquireWithoutTimeout from './pool-acquire-without-timeout';
import poolConnectionNotReleased from './pool-connection-not-released';
import serverKeepaliveTimeoutBelowLbIdle from './server-keepalive-timeout-below-lb-idle';
import tlsCertificateValidationDisabled from './tls-certificate-validation-disabled';

export const RULES: readonly Rule[] = [
  serverKeepaliveTimeoutBelowLbIdle,
  outboundRequestWithoutTimeout,
  dbClientPerRequest,
  poolConnectionNotReleased,
  tlsCertificateValidationDisabled,
  longLivedConnectionWithoutLiveness,
  poolAcquireWithoutTimeout,
  brokerConnectionPerMessage,
  grpcClientPerCall,
  http2SessionPerRequest,
  grpcKeepaliveTooAggressive,
] as Rule[];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);

const byId = new Map(RULES.map((r) => [r.meta.id, r]));
export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
