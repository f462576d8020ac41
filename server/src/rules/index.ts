// Every rule, in catalog order. The catalog test checks that this list matches the files in this
// folder, and that each rule has its lesson and its tests.
import type { Rule } from './createRule';
import chunkDecodedPerChunk from './chunk-decoded-per-chunk';
import nagleSmallWrites from './nagle-small-writes';
import networkErrorUnhandled from './network-error-unhandled';
import outboundRequestWithoutTimeout from './outbound-request-without-timeout';
import pipeWithoutErrorHandling from './pipe-without-error-handling';
import serverKeepaliveTimeoutBelowLbIdle from './server-keepalive-timeout-below-lb-idle';
import socketTimeoutWithoutDestroy from './socket-timeout-without-destroy';
import streamChunkTreatedAsMessage from './stream-chunk-treated-as-message';
import tlsCertificateValidationDisabled from './tls-certificate-validation-disabled';
import udpDatagramExceedsMtu from './udp-datagram-exceeds-mtu';
import writeIgnoresBackpressure from './write-ignores-backpressure';

export const RULES: readonly Rule[] = [
  serverKeepaliveTimeoutBelowLbIdle,
  outboundRequestWithoutTimeout,
  networkErrorUnhandled,
  tlsCertificateValidationDisabled,
  pipeWithoutErrorHandling,
  streamChunkTreatedAsMessage,
  socketTimeoutWithoutDestroy,
  writeIgnoresBackpressure,
  chunkDecodedPerChunk,
  nagleSmallWrites,
  udpDatagramExceedsMtu,
] as Rule[];

export const RULE_IDS: readonly string[] = RULES.map((r) => r.meta.id);

const byId = new Map(RULES.map((r) => [r.meta.id, r]));
export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
