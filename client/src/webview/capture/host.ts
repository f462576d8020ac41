// The page's side of the conversation with the extension host: requests carry an id and resolve when
// the answer with that id arrives; everything else the host sends (progress, the summary) goes to the
// push handler. Without acquireVsCodeApi (a plain browser) nothing is sent.
import type { HostMessage, PageMessage } from '../../capture/protocol';

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

type Request = PageMessage extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;
type Answer = Extract<HostMessage, { id: number }> | Extract<HostMessage, { type: 'failed' }>;

const PUSHED = new Set(['progress', 'summary', 'failed']);

export class HostChannel {
  readonly api: VsCodeApi | undefined = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (answer: Answer) => void>();

  constructor(onPush: (message: HostMessage) => void) {
    window.addEventListener('message', (event: MessageEvent) => {
      const message = event.data as HostMessage | null;
      if (!message || typeof message !== 'object' || typeof message.type !== 'string') return;
      const id = (message as { id?: unknown }).id;
      if (typeof id === 'number' && this.pending.has(id)) {
        const resolve = this.pending.get(id)!;
        this.pending.delete(id);
        resolve(message as Answer);
      } else if (PUSHED.has(message.type)) {
        onPush(message);
      }
    });
  }

  post(message: PageMessage): void {
    this.api?.postMessage(message);
  }

  request(message: Request): Promise<Answer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ ...message, id } as PageMessage);
    });
  }
}
