// The ERP client reads the ERP's answers: a 2xx made the order, so its answer is a receipt
// as long as it names the order, whatever else it holds.
import { createErpClient, ErpRejected, ErpUnavailable, type ErpOrderRequest } from '../../activities/erp';

const order: ErpOrderRequest = {
  key: 'prj_1',
  caseNumber: 'prj_1',
  customer: { id: 'cus_1', name: 'Customer' },
  site: { id: 'sit_1', address: '1 Street' },
  currency: 'AUD',
  lines: [{ articleNumber: 'A-1', name: 'Cable', quantity: 2, unit: 'm', unitPriceCents: 100, amountCents: 200 }],
  totalCents: 200,
};

const answering = (status: number, body: string) =>
  createErpClient({ baseUrl: 'http://erp.invalid', apiKey: 'k', fetch: (async () => new Response(body, { status, headers: { 'content-type': 'application/json' } })) as typeof fetch });

test('a 2xx that names its order is a receipt, whatever else the ERP puts in it or leaves out', async () => {
  await expect(answering(201, JSON.stringify({ id: 'SO-1' })).pushOrder(order)).resolves.toEqual({ orderId: 'SO-1', created: true });
  await expect(answering(200, JSON.stringify({ id: 'SO-1', status: 'booked', lines: 'see portal' })).pushOrder(order)).resolves.toEqual({ orderId: 'SO-1', created: false });
});

test('a 2xx that names no order is still refused (as before)', async () => {
  await expect(answering(201, '<html>proxy</html>').pushOrder(order)).rejects.toBeInstanceOf(ErpRejected);
  await expect(answering(201, JSON.stringify({ orderNumber: 7 })).pushOrder(order)).rejects.toBeInstanceOf(ErpRejected);
});

test('a 4xx is refused for good, a 5xx retried', async () => {
  await expect(answering(422, JSON.stringify({ error: { message: 'bad' } })).pushOrder(order)).rejects.toBeInstanceOf(ErpRejected);
  await expect(answering(503, '').pushOrder(order)).rejects.toBeInstanceOf(ErpUnavailable);
});
