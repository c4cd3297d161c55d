/**
 * Moving messages: `transmit` pumps one message into a DATA block, and the
 * pipelined paths (RFC 2920) send a whole envelope — MAIL, every RCPT and
 * DATA — in one write and judge the replies together.
 *
 * `transmit` keeps one promise whatever happens: the final `.` leaves only
 * after the source has ended and while the signal is not aborted. A source
 * that fails, or an abort while the source or a write waits, stops the
 * pump before the end, so the server never takes a cut message as whole.
 *
 * @example
 * ```ts
 * declare const conn: tp.TextConn;
 * await transmit(conn, source.string('hello\n'), { step: pump.step });
 * ```
 */
import { ReplyError, type NetError } from '../../core/errors.js';
import { abortError, waitFor } from '../../core/wait.js';
import { pump, type Sink, type Source } from '../../ltn12/index.js';
import { dotSink, formatCommand, type Reply, type TextConn } from '../tp/index.js';
import type { Envelope, Plan, RcptResult, SendResult } from './envelope.js';

/** LuaSocket's pump step: moves one chunk, resolves false at the end. */
export type Stepper = (src: Source, snk: Sink) => Promise<boolean>;

/** How a message moves: the pump step, and the signal that stops it. */
export interface TransferOptions {
  /** The ltn12 pump step used to move the message (LuaSocket's `step`). @default ltn12.pump.step */
  step?: Stepper;
  signal?: AbortSignal;
}

type Verdict = Omit<SendResult, 'reply'>;

/** Sends raw command bytes, abortable. */
export const say = (conn: TextConn, line: string, signal?: AbortSignal): Promise<number> => conn.socket.send(line, undefined, undefined, { signal });

/** Pumps `src` into a DATA block on `conn` (see the module doc). */
export async function transmit(conn: TextConn, src: Source, opts: TransferOptions = {}): Promise<void> {
  const { signal, step } = opts;
  const sink = dotSink(conn, { signal });
  if (!signal) return pump.all(src, sink, step);
  const guardedSource: Source = () => {
    // Asked before waiting, so an abort from inside the source itself is seen too.
    const next = signal.aborted ? Promise.resolve(null) : src();
    return waitFor<Buffer | null>(
      (done) => {
        next.then(
          (chunk) => done(null, chunk),
          (err: Error) => done(err),
        );
      },
      { signal, what: 'message' },
    );
  };
  const guardedSink: Sink = (chunk) => (signal.aborted ? Promise.reject(abortError('message', signal.reason)) : sink(chunk));
  return pump.all(guardedSource, guardedSink, step);
}

/** The one write that carries a whole envelope and DATA. */
const group = (plan: Plan): string => [...plan.commands, ['DATA'] as [string]].map(([c, a]) => formatCommand(c, a)).join('');

/** Ends a DATA the server opened although nothing may be sent: an empty message it will refuse. */
async function abortData(conn: TextConn, signal?: AbortSignal): Promise<void> {
  await say(conn, '.\r\n', signal);
  await conn.getReply({ signal });
}

/**
 * MAIL refused, or every RCPT refused: ReplyError (after closing a DATA the
 * server opened anyway, and RSET). Otherwise who was accepted and who not.
 */
export async function judge(conn: TextConn, plan: Plan, replies: Reply[], dataReply: Reply | undefined, signal?: AbortSignal): Promise<Verdict> {
  const mail = replies[0]!;
  if (mail.code >= 300) {
    if (dataReply?.code === 354) await abortData(conn, signal);
    throw new ReplyError(mail.code, mail.text);
  }
  const accepted: string[] = [];
  const rejected: RcptResult[] = [];
  plan.rcpts.forEach((r, i) => {
    const rep = replies[i + 1]!;
    if (rep.code >= 200 && rep.code < 300) accepted.push(r);
    else rejected.push({ rcpt: r, code: rep.code, reply: rep.text });
  });
  if (accepted.length === 0) {
    if (dataReply?.code === 354) await abortData(conn, signal);
    await say(conn, formatCommand('RSET'), signal);
    await conn.getReply({ signal });
    throw new ReplyError(rejected[0]!.code, rejected[0]!.reply, `every recipient was refused: ${rejected[0]!.reply}`);
  }
  if (dataReply && dataReply.code !== 354) throw new ReplyError(dataReply.code, dataReply.text);
  return { accepted, rejected };
}

/** Reads the replies to a pipelined group and judges them. */
async function readGroup(conn: TextConn, plan: Plan, signal?: AbortSignal): Promise<Verdict> {
  const replies: Reply[] = [];
  for (let i = 0; i <= plan.commands.length; i++) replies.push(await conn.getReply({ signal }));
  return judge(conn, plan, replies, replies[plan.commands.length]!, signal);
}

/** One message with PIPELINING: one round trip covers the envelope. */
export async function sendPipelined(conn: TextConn, plan: Plan, src: Source, opts: TransferOptions = {}): Promise<SendResult> {
  await say(conn, group(plan), opts.signal);
  const verdict = await readGroup(conn, plan, opts.signal);
  await transmit(conn, src, opts);
  return { ...verdict, reply: (await conn.check('2..', { signal: opts.signal })).text };
}

async function final(conn: TextConn, verdict: Verdict, signal?: AbortSignal): Promise<SendResult | NetError> {
  try {
    return { ...verdict, reply: (await conn.check('2..', { signal })).text };
  } catch (err) {
    if (err instanceof ReplyError) return err;
    throw err;
  }
}

/**
 * Several messages with PIPELINING: each message's envelope leaves right
 * behind the previous message's final dot, so a message costs about one
 * round trip. Each message gets its result, or the ReplyError that stopped it.
 */
export async function sendManyPipelined(
  conn: TextConn,
  plans: Plan[],
  items: readonly { envelope: Envelope; source: Source }[],
  opts: TransferOptions = {},
): Promise<(SendResult | NetError)[]> {
  const { signal } = opts;
  const results: (SendResult | NetError)[] = [];
  let pending: { index: number; verdict: Verdict } | null = null;
  if (plans.length > 0) await say(conn, group(plans[0]!), signal);
  for (let i = 0; i < plans.length; i++) {
    if (pending) results[pending.index] = await final(conn, pending.verdict, signal);
    pending = null;
    try {
      const verdict = await readGroup(conn, plans[i]!, signal);
      await transmit(conn, items[i]!.source, opts);
      pending = { index: i, verdict };
    } catch (err) {
      if (!(err instanceof ReplyError)) throw err;
      results[i] = err;
    }
    if (i + 1 < plans.length) await say(conn, group(plans[i + 1]!), signal);
  }
  if (pending) results[pending.index] = await final(conn, pending.verdict, signal);
  return results;
}
