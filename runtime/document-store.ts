// Where document bytes live. The API stores uploads through it and activities (the coming
// PDF work orders) will too, so it sits in runtime/, beside the other process-level
// infrastructure both the API and the worker build, and imports nothing from either.
// Objects are content-addressed (sha256), so the same file twice takes the space once;
// the database row carries the name, type and uploader. Local folder now; an object
// store later implements the same three calls.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredObject {
  /** Where the bytes are, for `get` and `delete`; kept in the document's row. */
  key: string;
  sha256: string;
  size: number;
  /** False when identical bytes were stored already (then `delete` must not follow a failed use). */
  created: boolean;
}

export interface DocumentStore {
  /** Streams the content in; never holds it whole in memory. */
  put(content: Readable): Promise<StoredObject>;
  /** The bytes of a stored object; rejects with code ENOENT when there is none. */
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}

export function localDocumentStore(root: string): DocumentStore {
  const file = (key: string) => {
    const target = path.resolve(root, key);
    // Keys come from our rows, but never let one leave the folder.
    if (!target.startsWith(path.resolve(root) + path.sep)) throw new Error(`bad storage key ${key}`);
    return target;
  };
  return {
    async put(content) {
      await fsp.mkdir(root, { recursive: true });
      // Write under a temporary name while hashing, then rename, so a crash never leaves
      // half a file under the final name.
      const temporary = path.join(root, `.upload-${crypto.randomUUID()}.part`);
      const hash = crypto.createHash('sha256');
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      try {
        await pipeline(content, counter, fs.createWriteStream(temporary, { flags: 'wx', mode: 0o640 }));
        const sha256 = hash.digest('hex');
        const key = path.join(sha256.slice(0, 2), sha256);
        const target = file(key);
        await fsp.mkdir(path.dirname(target), { recursive: true });
        const existed = await fsp.access(target).then(() => true, () => false);
        if (existed) await fsp.rm(temporary, { force: true });
        else await fsp.rename(temporary, target);
        return { key, sha256, size, created: !existed };
      } catch (err) {
        await fsp.rm(temporary, { force: true });
        throw err;
      }
    },
    async get(key) {
      const handle = await fsp.open(file(key), 'r');
      return handle.createReadStream();
    },
    async delete(key) {
      await fsp.rm(file(key), { force: true });
    },
  };
}
