// The stand-in's outgoing webhooks: Standard Webhooks signatures (webhook-id,
// webhook-timestamp, webhook-signature) with the design source's secret, and retries
// with the same delivery id while the failure may heal.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Logger } from '../../runtime/logger';
import type { DesignEvent } from './tool';

export interface Delivery {
  id: string;
  event: DesignEvent;
  status: 'pending' | 'delivered' | 'failed';
  attempts: { at: string; status?: number; error?: string }[];
}

/** Failures a later delivery may get past; a 4xx (bad signature, unknown project) or 501 will not. */
const mayHeal = (status: number) => (status >= 500 && status !== 501) || status === 408 || status === 429;

export function createWebhookSender({
  secret,
  retryDelaysMs,
  target,
  onAttempt,
  logger,
}: {
  secret: string;
  /** Waits between attempts; one attempt more than entries. */
  retryDelaysMs: number[];
  /** Where to send, read at each attempt (set once the API listens). */
  target: () => string | undefined;
  onAttempt: () => void;
  logger?: Logger;
}) {
  const signer = new Webhook(secret);
  const deliveries: Delivery[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const closing = new AbortController();

  async function attempt(delivery: Delivery, remainingDelays: number[]): Promise<void> {
    const at = new Date();
    const body = JSON.stringify(delivery.event);
    let status: number | undefined;
    let error: string | undefined;
    const url = target();
    if (!url) error = 'no webhook URL is set';
    else {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': delivery.id,
            'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
            'webhook-signature': signer.sign(delivery.id, at, body),
          },
          body,
          signal: AbortSignal.any([AbortSignal.timeout(10_000), closing.signal]),
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch (err) {
        error = (err as { cause?: { code?: string } })?.cause?.code ?? (err as Error).message;
      }
    }
    delivery.attempts.push({ at: at.toISOString(), ...(status !== undefined ? { status } : {}), ...(error ? { error } : {}) });
    if (status !== undefined && status >= 200 && status < 300) delivery.status = 'delivered';
    else if ((status === undefined || mayHeal(status)) && remainingDelays.length && !closing.signal.aborted) {
      const [delay, ...rest] = remainingDelays;
      const timer = setTimeout(() => {
        timers.delete(timer);
        void attempt(delivery, rest);
      }, delay);
      timers.add(timer);
    } else {
      delivery.status = 'failed';
      logger?.warn({ deliveryId: delivery.id, type: delivery.event.type, status, error }, 'design stand-in: webhook not delivered');
    }
    onAttempt();
  }

  /** Sends the event and answers after the first attempt; later attempts run on their own. */
  async function deliver(event: DesignEvent): Promise<Delivery> {
    const delivery: Delivery = { id: `msg_${randomUUID()}`, event, status: 'pending', attempts: [] };
    deliveries.push(delivery);
    await attempt(delivery, retryDelaysMs);
    return { ...delivery, attempts: [...delivery.attempts] };
  }

  return {
    deliver,
    deliveries: () => deliveries.map((delivery) => ({ ...delivery, attempts: [...delivery.attempts] })),
    close() {
      closing.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

export const deliveryOutcome = (delivery: Delivery) => {
  const last = delivery.attempts.at(-1);
  const outcome = last?.status !== undefined ? `HTTP ${last.status}` : (last?.error ?? 'no answer');
  return delivery.status === 'delivered' ? `Webhook ${delivery.event.type} delivered (${outcome}).` : `Webhook ${delivery.event.type}: ${outcome}${delivery.status === 'pending' ? ', retrying' : ', given up'}.`;
};
