// One LISTEN per API process on the read model's change channel, fanned out to every
// open stream. The read-model activity NOTIFYs on commit, wherever the worker runs.
import { EventEmitter } from 'node:events';
import { CHANGES_CHANNEL, type ChangeNotice } from '../activities/read-model';
import type { Database } from '../db';

export interface ChangeFeed {
  /** `onResync`: LISTEN was lost and is back; notices may have been missed, refetch. */
  subscribe(listener: (notice: ChangeNotice) => void, onResync?: () => void): Promise<() => void>;
  close(): Promise<void>;
}

export function createChangeFeed(database: Database): ChangeFeed {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let listening: Promise<() => Promise<void>> | undefined;
  return {
    async subscribe(listener, onResync) {
      // The database reconnects a lost LISTEN session itself; a first attempt that fails
      // (the database is down right now) is forgotten, so the next stream tries again.
      listening ??= database.listen(
        CHANGES_CHANNEL,
        (payload) => {
          try {
            emitter.emit('change', JSON.parse(payload) as ChangeNotice);
          } catch {
            // not ours
          }
        },
        () => emitter.emit('resync'),
      );
      const attempt = listening;
      await attempt.catch((err) => {
        if (listening === attempt) listening = undefined;
        throw err;
      });
      emitter.on('change', listener);
      const resync = () => onResync?.();
      emitter.on('resync', resync);
      return () => {
        emitter.off('change', listener);
        emitter.off('resync', resync);
      };
    },
    async close() {
      emitter.removeAllListeners();
      if (listening) await (await listening)();
      listening = undefined;
    },
  };
}
