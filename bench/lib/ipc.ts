import type { ChildProcess } from 'node:child_process';

/** Request/response over a Node IPC channel (a forked child, or the parent seen from the child). */
type Endpoint = ChildProcess | NodeJS.Process;

interface Request {
  kind: 'req';
  id: number;
  type: string;
  body: unknown;
}
interface Response {
  kind: 'res';
  id: number;
  ok: boolean;
  body?: unknown;
  error?: string;
}
interface Event {
  kind: 'event';
  type: string;
  body: unknown;
}
type Envelope = Request | Response | Event;

export type Handler = (body: unknown) => unknown;

export class Ipc {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (body: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  private readonly handlers = new Map<string, Handler>();
  private readonly listeners = new Map<string, ((body: unknown) => void)[]>();

  constructor(
    private readonly endpoint: Endpoint,
    private readonly name: string,
  ) {
    endpoint.on('message', (message: Envelope) => this.receive(message));
    endpoint.on('exit', () => this.failAll(`${name} exited`));
    endpoint.on('disconnect', () => this.failAll(`${name} disconnected`));
  }

  /** Answers requests of this type; the handler may return a promise. */
  handle<B>(type: string, handler: (body: B) => unknown): this {
    this.handlers.set(type, handler as Handler);
    return this;
  }

  /** Listens to one-way events of this type. */
  on<B>(type: string, listener: (body: B) => void): this {
    const untyped = listener as (body: unknown) => void;
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), untyped]);
    return this;
  }

  emit(type: string, body: unknown = null): void {
    this.post({ kind: 'event', type, body });
  }

  request<T = unknown>(type: string, body: unknown = null, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (body: unknown) => void, reject, timer });
      try {
        this.post({ kind: 'req', id, type, body });
      } catch (error) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Resolves with the body of the first event of this type. */
  once<T = unknown>(type: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no ${type} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const listener = (body: unknown) => {
        clearTimeout(timer);
        this.listeners.set(
          type,
          (this.listeners.get(type) ?? []).filter((item) => item !== listener),
        );
        resolve(body as T);
      };
      this.on(type, listener);
    });
  }

  private post(envelope: Envelope): void {
    if (!this.endpoint.send || !this.endpoint.connected) {
      throw new Error(`${this.name}: IPC channel closed`);
    }
    this.endpoint.send(envelope);
  }

  private receive(message: Envelope): void {
    if (message.kind === 'res') {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      clearTimeout(waiter.timer);
      if (message.ok) waiter.resolve(message.body);
      else waiter.reject(new Error(`${this.name}: ${message.error}`));
    } else if (message.kind === 'event') {
      for (const listener of this.listeners.get(message.type) ?? []) listener(message.body);
    } else if (message.kind === 'req') {
      void this.answer(message);
    }
  }

  private async answer(request: Request): Promise<void> {
    const handler = this.handlers.get(request.type);
    let response: Response;
    try {
      if (!handler) throw new Error(`no handler for ${request.type}`);
      response = { kind: 'res', id: request.id, ok: true, body: await handler(request.body) };
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      response = { kind: 'res', id: request.id, ok: false, error: text };
    }
    try {
      this.post(response);
    } catch {
      // The other side went away; nothing to answer.
    }
  }

  private failAll(reason: string): void {
    for (const [id, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(reason));
      this.pending.delete(id);
    }
  }
}
