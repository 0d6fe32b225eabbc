import gateway from '../src/index';
import type { Env } from '../src/config/env';

export { RateLimiter } from '../src/ratelimit/durable-object';

/**
 * The gateway plus one bench-only route, for figure 2's "the Worker's own CPU".
 * Never deployed: `npm run bench` runs it in `wrangler dev` next to the stand-in Odoo.
 *
 * Locally, workerd runs the D1, KV, Queue and Cache simulators on the same
 * thread as the Worker, so the CPU of the workerd process is the Worker's
 * work plus theirs. On Cloudflare those are other machines and the Worker is
 * billed only for its own JavaScript. This route measures that part: it sends
 * the same `tools/call` through the real Worker (`gateway.fetch`: Hono, key
 * check with HMAC, session or stateless checks, MCP SDK, scope, Odoo client,
 * audit event) while
 * every binding and the Odoo `fetch` answer from memory, with what the real
 * bindings and the stand-in answered to the same call moments before (each
 * answer stored as JSON text and parsed again on every replay, as a binding
 * deserializes). No I/O is left in the loop, so the wall time of a chunk of
 * calls is the isolate's CPU time for them, background work (`waitUntil`)
 * included. The same loop then runs with the real local D1 alone, and with
 * every real local binding and the stand-in: the differences are what waiting
 * on them costs inside the Worker, without any HTTP hop in front of it.
 */
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/__bench/replay-cpu' && request.method === 'POST') return replayCpu(request, env);
    return gateway.fetch(request, env, ctx);
  },
  queue: gateway.queue,
  scheduled: gateway.scheduled,
} satisfies ExportedHandler<Env, unknown>;

interface ReplayPlan {
  /** The `/mcp` request to repeat: its headers (key; session id, or the 2026-07-28 headers) and body. */
  headers: Record<string, string>;
  body: string;
  calls: number;
  chunk: number;
  warmUp: number;
  /** The Odoo origin whose answers are recorded and replayed. */
  odooUrl: string;
  /** Also time the loop with the real local bindings and the stand-in. */
  real: boolean;
}

interface Tape {
  recording: boolean;
  answers: Map<string, string>;
  /** Replays that found no recorded answer and went to the real binding (should stay 0). */
  misses: string[];
}

async function replayCpu(request: Request, env: Env): Promise<Response> {
  const plan = (await request.json()) as ReplayPlan;
  const tape: Tape = { recording: true, answers: new Map(), misses: [] };
  const replayEnv: Env = { ...env, DB: replayD1(env.DB, tape), LAST_USED: replayKv(env.LAST_USED), AUDIT_QUEUE: replayQueue() };
  const realFetch = globalThis.fetch;
  globalThis.fetch = replayFetch(realFetch, plan.odooUrl, tape);
  try {
    const call = async (background: Promise<unknown>[], target: Env) => {
      const workerCtx = { waitUntil: (promise: Promise<unknown>) => void background.push(promise), passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
      // Addressed to the gateway's own public URL: /mcp refuses any other Host.
      const mcpUrl = new URL('/mcp', typeof env.PUBLIC_URL === 'string' && env.PUBLIC_URL ? env.PUBLIC_URL : 'http://127.0.0.1');
      const response = await gateway.fetch(new Request(mcpUrl, { method: 'POST', headers: plan.headers, body: plan.body }), target, workerCtx);
      const text = await response.text();
      if (response.status !== 200 || text.includes('"isError":true') || !text.includes('"result"')) throw new Error(`the call answered ${response.status}: ${text.slice(0, 300)}`);
    };
    // One call through the real bindings and the stand-in records the answers.
    const recorded: Promise<unknown>[] = [];
    await call(recorded, replayEnv);
    await Promise.all(recorded);
    tape.recording = false;

    const timeChunks = async (target: Env) => {
      const chunks: number[] = [];
      for (let done = -plan.warmUp; done < plan.calls; done += plan.chunk) {
        const background: Promise<unknown>[] = [];
        const started = Date.now();
        for (let i = 0; i < plan.chunk; i++) await call(background, target);
        await Promise.all(background);
        if (done >= 0) chunks.push((Date.now() - started) / plan.chunk);
      }
      return chunks;
    };
    const replayed = await timeChunks(replayEnv);
    const misses = [...tape.misses];
    if (!plan.real) return Response.json({ chunks: replayed, realChunks: [], d1Chunks: [], chunk: plan.chunk, recordedAnswers: tape.answers.size, misses });
    // Only the key lookup goes to the local D1: what that one query adds inside the Worker.
    const d1 = await timeChunks({ ...replayEnv, DB: env.DB });
    // Everything real, the stand-in included: what waiting on the local bindings and Odoo adds.
    globalThis.fetch = realFetch;
    const real = await timeChunks(env);
    return Response.json({ chunks: replayed, realChunks: real, d1Chunks: d1, chunk: plan.chunk, recordedAnswers: tape.answers.size, misses });
  } catch (error) {
    return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
  } finally {
    globalThis.fetch = realFetch;
  }
}

/** Records on the real binding while `tape.recording`, then answers from the tape by SQL and method. */
function replayD1(real: D1Database, tape: Tape): D1Database {
  const answer = async <T>(sql: string, method: string, run: () => Promise<T>): Promise<T> => {
    const key = `${method} ${sql}`;
    const stored = tape.answers.get(key);
    if (stored !== undefined && !tape.recording) return JSON.parse(stored) as T;
    if (!tape.recording) tape.misses.push(key.slice(0, 200));
    const result = await run();
    tape.answers.set(key, JSON.stringify(result));
    return result;
  };
  const statement = (sql: string, params: unknown[]): D1PreparedStatement => {
    const realStatement = () => real.prepare(sql).bind(...params);
    return {
      bind: (...values: unknown[]) => statement(sql, values),
      all: () => answer(sql, 'all', () => realStatement().all()),
      raw: (options?: { columnNames?: boolean }) => answer(sql, `raw${options?.columnNames ? '+names' : ''}`, () => realStatement().raw(options as never)),
      run: () => answer(sql, 'run', () => realStatement().run()),
      first: (column?: string) => answer(sql, `first:${column ?? ''}`, () => (column ? realStatement().first(column) : realStatement().first())),
    } as unknown as D1PreparedStatement;
  };
  return {
    prepare: (sql: string) => statement(sql, []),
    batch: (statements: D1PreparedStatement[]) => Promise.all(statements.map((each) => each.all())),
    exec: (sql: string) => real.exec(sql),
    dump: () => real.dump(),
    withSession: () => {
      throw new Error('withSession is not replayed');
    },
  } as unknown as D1Database;
}

/** Last-used writes happen once per key and minute; answered at once so none reaches the simulator. */
function replayKv(real: KVNamespace): KVNamespace {
  return new Proxy(real, {
    get(target, property) {
      if (property === 'put') return async () => undefined;
      return Reflect.get(target, property, target);
    },
  });
}

/** The audit event is serialized as the binding would, and dropped. */
function replayQueue(): Queue {
  return {
    send: async (body: unknown) => void JSON.stringify(body),
    sendBatch: async (messages: Iterable<{ body: unknown }>) => {
      for (const message of messages) JSON.stringify(message.body);
    },
  } as unknown as Queue;
}

function replayFetch(realFetch: typeof fetch, odooUrl: string, tape: Tape): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(odooUrl)) return realFetch(request);
    const key = `odoo ${request.method} ${new URL(request.url).pathname}`;
    const stored = tape.answers.get(key);
    if (stored !== undefined && !tape.recording) {
      await request.text();
      const { status, body } = JSON.parse(stored) as { status: number; body: string };
      return new Response(body, { status, headers: { 'content-type': 'application/json' } });
    }
    if (!tape.recording) tape.misses.push(key);
    const response = await realFetch(request);
    const body = await response.text();
    tape.answers.set(key, JSON.stringify({ status: response.status, body }));
    return new Response(body, { status: response.status, headers: response.headers });
  };
}
