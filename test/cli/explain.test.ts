// `wirelens explain <file>:<line>[:<col>]`: the hover as text, with the phases and the cost.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { makeProject, runCli, spawnCli } from './helpers';

const SOURCE = [
  "import net from 'node:net';", // 1
  "import dgram from 'node:dgram';", // 2
  '', // 3
  'export async function load() {', // 4
  "  const res = await fetch('https://api.example.com/items'); const again = await fetch('http://10.0.0.5:8080/x');", // 5
  '  return res.json();', // 6
  '}', // 7
  "export const socket = net.connect({ host: 'db.example.com', port: 5432 });", // 8
  "dgram.createSocket('udp4').send('x', 8125, '10.0.0.12');", // 9
  '', // 10
].join('\n');

const p = makeProject({ 'src/api.ts': SOURCE, 'wirelens.json': JSON.stringify({ rttMs: 40 }) });
after(() => p.cleanup());

describe('wirelens explain', () => {
  it('prints the packets in order, the round trips and their cost for the first call on the line', async () => {
    const r = spawnCli(['explain', 'src/api.ts:5'], p.dir);
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout;
    assert.match(out, /^src\/api\.ts:5:21 {2}fetch\n/);
    assert.match(out, /fetch — HTTPS · api\.example\.com:443/);
    const order = ['DNS', 'TCP', 'TLS', 'Request'].map((phase) => out.search(new RegExp(`^ +\\d\\. ${phase}`, 'm')));
    assert.ok(order.every((i) => i > 0) && order.every((v, i) => i === 0 || v > order[i - 1]), `phases in order: ${out}`);
    assert.match(out, /→ SYN · ← SYN-ACK · → ACK/);
    // The settings file's RTT applies: 3 RTT × 40 ms.
    assert.match(out, /New connection: 3 RTT ≈ 120 ms at 40 ms RTT/);
    assert.match(out, /Reused connection: 1 RTT ≈ 40 ms/);
    assert.match(out, /Findings on this call:\n {2}src\/api\.ts:5:21 {2}info {2}outbound-request-without-timeout/);
  });

  it('picks the call at the column and follows --rtt', async () => {
    const line = SOURCE.split('\n')[4];
    const col = line.lastIndexOf('fetch') + 3;
    const r = await runCli(['explain', `src/api.ts:5:${col}`, '--rtt', '100'], p.dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /fetch — HTTP\/1\.1 · 10\.0\.0\.5:8080/);
    // An IP address needs no DNS; plain HTTP has no TLS: TCP + request.
    assert.doesNotMatch(r.stdout, /\d\. DNS/);
    assert.doesNotMatch(r.stdout, /\d\. TLS/);
    assert.match(r.stdout, /New connection: 2 RTT ≈ 200 ms at 100 ms RTT/);
  });

  it('explains raw TCP and UDP', async () => {
    const tcp = await runCli(['explain', 'src/api.ts:8'], p.dir);
    assert.equal(tcp.status, 0, tcp.stderr);
    assert.match(tcp.stdout, /net\.connect — TCP · db\.example\.com:5432/);
    assert.match(tcp.stdout, /SYN/);
    const udp = await runCli(['explain', 'src/api.ts:9:28'], p.dir);
    assert.equal(udp.status, 0, udp.stderr);
    assert.match(udp.stdout, /UDP/);
    assert.match(udp.stdout, /one UDP datagram/);
  });

  it('exits 1 with a message when there is no call there', async () => {
    const r = await runCli(['explain', 'src/api.ts:6'], p.dir);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no recognised networking call at src\/api\.ts:6; recognised calls in this file are on lines 5, 8, 9/);
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['no position', ['explain', 'src/api.ts'], /expected <file>:<line>\[:<col>\]/],
    ['a missing file', ['explain', 'src/nope.ts:3'], /cannot read src\/nope\.ts/],
    ['a line past the end', ['explain', 'src/api.ts:99'], /has 10 lines; line 99 is past the end/],
    ['a column past the end', ['explain', 'src/api.ts:6:80'], /column 80 is past its end/],
    ['line 0', ['explain', 'src/api.ts:0'], /line numbers start at 1/],
    ['two positions', ['explain', 'src/api.ts:5', 'src/api.ts:8'], /explain takes one/],
  ];
  for (const [what, args, message] of usage) {
    it(`exits 2 on ${what}`, async () => {
      const r = await runCli(args, p.dir);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
    });
  }
});
