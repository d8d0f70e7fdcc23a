// Resource limits: a 100 MB upload, a 10,000-item payload, deeply nested JSON and slow
// clients. Each is refused (413/400) quickly or cut, the API's memory stays bounded, and
// other requests are answered meanwhile as usual.
import fs from 'node:fs';
import net from 'node:net';
import { Flow } from '../support/flows';
import { RetryingApi } from './client';
import { addRow } from './report';
import { Fieldflow, readState, sleep } from './stack';

let fieldflow: Fieldflow;

beforeAll(async () => {
  // Slow clients are cut after REQUEST_TIMEOUT (2 minutes by default; shorter here).
  fieldflow = new Fieldflow(readState(), { REQUEST_TIMEOUT: 'PT20S' });
  await fieldflow.start();
});

afterAll(async () => {
  await fieldflow?.stop();
});

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function timed<T>(what: () => Promise<T>): Promise<[T, number]> {
  const start = Date.now();
  const value = await what();
  return [value, Date.now() - start];
}

test('oversized, huge, deep and slow requests are refused or cut quickly, memory stays bounded, others are served', async () => {
  const api = new RetryingApi(fieldflow.baseUrl, 30_000);
  const flow = await Flow.create(api, 'Limits');
  const task = await flow.openTask('service_request');
  const token = await api.login('ops@demo.test');
  const auth = { Authorization: `Bearer ${token}` };
  const pid = fieldflow.api!.child.pid!;
  const rssBefore = rssMb(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 100);

  // Slow clients the whole time: headers that never finish, and a body a byte a second.
  const slow: net.Socket[] = [];
  const cut: number[] = [];
  const openedAt = Date.now();
  for (let i = 0; i < 20; i++) {
    const socket = net.connect(fieldflow.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => cut.push(Date.now() - openedAt));
    socket.write(i % 2 ? 'POST /projects HTTP/1.1\r\nHost: x\r\nX-Slow: ' : `POST /projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\nAuthorization: Bearer ${token}\r\n\r\n{`);
    slow.push(socket);
  }
  const trickle = setInterval(() => slow.forEach((socket, i) => !socket.destroyed && socket.write(i % 2 ? 'a' : ' ')), 1000);

  // 100 MB upload (the limit is MAX_UPLOAD_BYTES, 25 MB by default).
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(100 * 1024 * 1024)], { type: 'application/pdf' }), 'huge.pdf');
  const [upload, uploadMs] = await timed(() => api.request('POST', `/projects/${flow.projectId}/documents`, { raw: form, headers: auth }));
  expect(upload.status).toBe(413);

  // 10,000 items in a task payload (about 200 kB, under the 1 MB body limit).
  const items = { description: 'Many assets', resolution: 'internal', assetIds: Array.from({ length: 10_000 }, (_, i) => `ast_${i}`) };
  const [many, manyMs] = await timed(() => api.as('ops').post(`/tasks/${task.id}/complete`, items));
  expect(many.status).toBe(400);

  // 100,000 levels of nesting (200 kB).
  const raw = `{"description":"Deep","resolution":"internal","category":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  const [deep, deepMs] = await timed(() => api.request('POST', `/tasks/${task.id}/complete`, { raw, headers: { ...auth, 'content-type': 'application/json' } }));
  expect(deep.status).toBe(400);
  // None of them changed anything: the task is still open.
  expect((await flow.openTask('service_request')).id).toBe(task.id);

  // Meanwhile other requests are served as usual.
  const [healthy, healthMs] = await timed(() => api.request('GET', '/healthz'));
  expect(healthy.status).toBe(200);
  const [done, doneMs] = await timed(() => flow.complete('service_request', { description: 'Export limit wrong', resolution: 'internal' }));
  expect(done.project.stage).toBe('investigating');

  // The slow ones are cut by the server's header and request timeouts, not kept forever.
  const deadline = Date.now() + 60_000;
  while (slow.some((socket) => !socket.destroyed) && Date.now() < deadline) await sleep(500);
  clearInterval(trickle);
  clearInterval(sampler);
  const stillOpen = slow.filter((socket) => !socket.destroyed).length;
  slow.forEach((socket) => socket.destroy());
  expect(stillOpen).toBe(0);
  expect(rssPeak - rssBefore).toBeLessThan(100);
  expect([uploadMs, manyMs, deepMs, healthMs].every((ms) => ms < 10_000)).toBe(true);

  addRow({
    fault: 'resource limits',
    done: '100 MB upload; 10,000 asset ids in a task payload; JSON nested 100,000 deep; 20 slow clients (headers or body a byte a second) throughout',
    held: `413, 400, 400, nothing changed; /healthz and a completion answered meanwhile; every slow client cut by the server; API memory bounded`,
    figures: `413 in ${(uploadMs / 1000).toFixed(1)} s, 400s in ${manyMs} and ${deepMs} ms; healthz ${healthMs} ms and a completion ${doneMs} ms under the slow clients; slow clients cut after ${(Math.max(...cut) / 1000).toFixed(0)} s at most; API RSS ${rssBefore.toFixed(0)} → peak ${rssPeak.toFixed(0)} MB`,
  });
});
