// Request/answer over a child process's IPC channel: the orchestrator calls named
// methods in the hosts and the driver, and gets their results (or errors) back.
import type { ChildProcess } from 'node:child_process';

interface Call {
  id: number;
  method: string;
  args: unknown[];
}
interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export type Handlers = Record<string, (...args: any[]) => unknown>;

/** In a child: answers calls from the parent until it disconnects. */
export function serve(handlers: Handlers): void {
  if (!process.send) throw new Error('not started with an IPC channel (use bench/run.ts)');
  process.on('message', async (message: Call) => {
    if (!message || typeof message.id !== 'number') return;
    let reply: Reply;
    try {
      const handler = handlers[message.method];
      if (!handler) throw new Error(`no method ${message.method}`);
      reply = { id: message.id, ok: true, value: await handler(...message.args) };
    } catch (err) {
      reply = { id: message.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    process.send!(reply);
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true });
}

export interface Remote {
  child: ChildProcess;
  call<T = any>(method: string, ...args: unknown[]): Promise<T>;
}

/** In the parent: resolves once the child says it is ready. */
export function connect(child: ChildProcess, name: string): Promise<Remote> {
  let next = 1;
  const waiting = new Map<number, { resolve: (value: any) => void; reject: (err: Error) => void }>();
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) => {
      const err = new Error(`${name} exited (${code ?? signal})`);
      for (const pending of waiting.values()) pending.reject(err);
      waiting.clear();
      reject(err);
    };
    child.once('exit', onExit);
    child.on('message', (message: Reply & { ready?: boolean }) => {
      if (message.ready) {
        resolve({
          child,
          call: (method, ...args) =>
            new Promise((res, rej) => {
              const id = next++;
              waiting.set(id, { resolve: res, reject: rej });
              child.send({ id, method, args } satisfies Call);
            }),
        });
        return;
      }
      const pending = waiting.get(message.id);
      if (!pending) return;
      waiting.delete(message.id);
      if (message.ok) pending.resolve(message.value);
      else pending.reject(new Error(`${name}: ${message.error}`));
    });
  });
}
