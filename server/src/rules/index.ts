// Every rule, in catalog order (rank in the rule catalog). The catalog test checks that this list
// matches the files in this folder, and that each rule has its lesson and its tests.
import type { Rule } from './createRule';
import brokerConnectionPerMessage from './broker-connection-per-message';
import chunkDecodedPerChunk from './chunk-decoded-per-chunk';
import cleartextHttpToRemote from './cleartext-http-to-remote';
import dbClientPerRequest from './db-client-per-request';
import dnsLookupOnHotPath from './dns-lookup-on-hot-path';
import grpcClientPerCall from './grpc-client-per-call';
import grpcKeepaliveTooAggressive from './grpc-keepalive-too-aggressive';
import http2SessionPerRequest from './http2-session-per-request';
import localhostAddressFamilyAmbiguity from './localhost-address-family-ambiguity';
import longLivedConnectionWithoutLiveness from './long-lived-connection-without-liveness';
import nagleSmallWrites from './nagle-small-writes';
import networkErrorUnhandled from './network-error-unhandled';
import outboundRequestWithoutTimeout from './outbound-request-without-timeout';
import pipeWithoutErrorHandling from './pipe-without-error-handling';
import poolAcquireWithoutTimeout from './pool-acquire-without-timeout';
import poolConnectionNotReleased from './pool-connection-not-released';
import sequentialRequestsInLoop from './sequential-requests-in-loop';
import serverCloseWithoutIdleDrain from './server-close-without-idle-drain';
import retryWithoutBackoffOrIdempotency from './retry-without-backoff-or-idempotency';
import serverHeadersTimeoutMisordered from './server-headers-timeout-misordered';
import fetchAbortExceedsUndiciTimeouts from './fetch-abort-exceeds-undici-timeouts';
import holBlockingSingleConnection from './hol-blocking-single-connection';
import httpKeepaliveDisabled from './http-keepalive-disabled';
import httpAgentPerRequest from './http-agent-per-request';
import responseBodyNotConsumed from './response-body-not-consumed';
import clientKeepaliveOutlivesServer from './client-keepalive-outlives-server';
import serverKeepaliveTimeoutBelowLbIdle from './server-keepalive-timeout-below-lb-idle';
import serverTimeoutsDisabled from './server-timeouts-disabled';
import socketTimeoutWithoutDestroy from './socket-timeout-without-destroy';
import streamChunkTreatedAsMessage from './stream-chunk-treated-as-message';
import tlsCertificateValidationDisabled from './tls-certificate-validation-disabled';
import tlsWeakProtocolOrCipher from './tls-weak-protocol-or-cipher';
import udpDatagramExceedsMtu from './udp-datagram-exceeds-mtu';
import unboundedRequestFanout from './unbounded-request-fanout';
import writeIgnoresBackpressure from './write-ignores-backpressure';

export const RULES: readonly Rule[] = [
  serverKeepaliveTimeoutBelowLbIdle,
  outboundRequestWithoutTimeout,
  dbClientPerRequest,
  poolConnectionNotReleased,
  networkErrorUnhandled,
  tlsCertificateValidationDisabled,
  httpKeepaliveDisabled,
  httpAgentPerRequest,
  responseBodyNotConsumed,
  clientKeepaliveOutlivesServer,
  longLivedConnectionWithoutLiveness,
  pipeWithoutErrorHandling,
  unboundedRequestFanout,
  streamChunkTreatedAsMessage,
  socketTimeoutWithoutDestroy,
  writeIgnoresBackpressure,
  poolAcquireWithoutTimeout,
  localhostAddressFamilyAmbiguity,
  brokerConnectionPerMessage,
  serverCloseWithoutIdleDrain,
  retryWithoutBackoffOrIdempotency,
  chunkDecodedPerChunk,
  dnsLookupOnHotPath,
  serverTimeoutsDisabled,
  serverHeadersTimeoutMisordered,
  fetchAbortExceedsUndiciTimeouts,
  sequentialRequestsInLoop,
  grpcClientPerCall,
  http2SessionPerRequest,
  grpcKeepaliveTooAggressive,
  nagleSmallWrites,
  udpDatagramExceedsMtu,
  tlsWeakProtocolOrCipher,
  cleartextHttpToRemote,
  holBlockingSingleConnection,
] as Rule[];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);

const byId = new Map(RULES.map((r) => [r.meta.id, r]));
export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
