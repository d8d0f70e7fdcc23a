// One LISTEN per API process on the read model's change channel, fanned out to every
// open stream. The read-model activity NOTIFYs on commit, wherever the worker runs.
import { EventEmitter } from 'node:events';
import { CHANGES_CHANNEL, type ChangeNotice } from '../activities/read-model';
import type { Database } from '../db';

export interface ChangeFeed {
  subscribe(listener: (notice: ChangeNotice) => void): Promise<() => void>;
  close(): Promise<void>;
}

export function createChangeFeed(database: Database): ChangeFeed {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let listening: Promise<() => Promise<void>> | undefined;
  return {
    async subscribe(listener) {
      listening ??= database.listen(CHANGES_CHANNEL, (payload) => {
        try {
          emitter.emit('change', JSON.parse(payload) as ChangeNotice);
        } catch {
          // not ours
        }
      });
      await listening;
      emitter.on('change', listener);
      return () => emitter.off('change', listener);
    },
    async close() {
      emitter.removeAllListeners();
      if (listening) await (await listening)();
      listening = undefined;
    },
  };
}
