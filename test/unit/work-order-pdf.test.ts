// The work-order PDF is a function of its input: the same version rendered twice is the
// same bytes (so a retried activity stores it once), and the distance to a site is
// rounded to 0.1 km.
import { lineTotalCents, money, render } from '../../activities/work-orders';
import { haversineKm } from '../../api/routes/fieldwork';
import type { WorkOrderInput } from '../../workflows/jobs/definitions';

const input: WorkOrderInput = {
  jobId: 'prj_1-j1',
  projectId: 'prj_1',
  siteId: 'sit_1',
  jobType: 'audit',
  sequence: 1,
  version: 2,
  reason: 'confirmation: more material',
  createdBy: 'usr_1',
  createdAt: '2026-11-20T10:15:00.000Z',
  scheduledStart: '2026-12-01T09:00:00+10:30',
  technicianIds: ['usr_1'],
  protocol: {
    fault: 'Isolator burnt',
    materials: [{ id: 'm1', articleId: 'a1', articleNumber: 'DC-ISO', name: 'DC isolator', quantity: 2, unit: 'pcs', unitPriceCents: 14900 }],
    work: [{ id: 'w1', description: 'Replace isolator', technicianId: 'usr_1', minutes: 75 }],
    attachments: [],
  },
};
const context = { company: { name: 'Co', address: 'Road 1', phone: '1' }, name: (id: string) => id };

test('the same version renders to the same bytes, dated by the workflow', async () => {
  const [a, b] = await Promise.all([render(input, context), render(input, context)]);
  expect(a.equals(b)).toBe(true);
  const later = await render({ ...input, createdAt: '2026-11-20T10:16:00.000Z' }, context);
  expect(later.equals(a)).toBe(false);
});

test('money and line totals round to the cent once', () => {
  expect(lineTotalCents({ quantity: 12.5, unitPriceCents: 395 })).toBe(4938);
  expect(lineTotalCents({ quantity: 0.333, unitPriceCents: 100 })).toBe(33);
  expect(money(123456789)).toBe('$1,234,567.89');
  expect(money(5)).toBe('$0.05');
});

test('distance from the depot, to 0.1 km', () => {
  expect(haversineKm({ latitude: -34.8285, longitude: 138.6007 }, { latitude: -34.9285, longitude: 138.6007 })).toBe(11.1);
  expect(haversineKm({ latitude: -34.9285, longitude: 138.6007 }, { latitude: -37.8136, longitude: 144.9631 })).toBe(653.5);
});
