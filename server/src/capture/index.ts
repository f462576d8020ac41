// Public API of the capture engine (pcap/pcapng reader, decoder, conversation analysis, summaries).
// Pure TypeScript with no Node, VS Code or DOM imports, except `nodeFile.ts` (fs streams), which the
// browser bundle leaves out: import it from './nodeFile' where Node is available.

export * from './fileTypes';
export * from './packetTypes';
export * from './analysisTypes';
export { CaptureReader, type ReaderHandlers } from './reader';
export { PacketDecoder } from './decode';
export { CaptureAnalyzer, type AnalyzerOptions } from './analyzer';
export { DEFAULT_ANALYZER_LIMITS, type AnalyzerLimits } from './conversationState';
export { analyzeCapture, analyzeCaptureChunks, readCaptureInfo, type CaptureOptions } from './api';
export { captureSummary, formatCaptureJson, formatCaptureText, describeRow, formatBytes, formatMs, type CaptureSummary, type CaptureSummaryConversation, type CaptureSummaryEvent, type TextOptions } from './summary';
export { EVENT_LESSONS, EVENT_TITLES, lessonFor, type EventKind } from './events';
export { linkTypeName, LINKTYPE } from './linkTypes';
export { parseClientHello, parseServerHello, type ClientHelloInfo, type ServerHelloInfo } from './appTls';
export { parseDns, type DnsMessage, type DnsAnswer } from './appDns';
export { parseHttpStart, type HttpStart } from './appHttp';
export { conversationLadder, type LadderOptions } from './ladder';
export { packetDetails, type DetailLayer, type DetailField } from './details';
