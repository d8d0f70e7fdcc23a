// A maintenance plan's interval and its schedule spec: what `every` may be, and when the
// schedule fires for each kind (api/plans.ts); the configuration of both limits.
import { loadConfig } from '../../runtime/config';
import { cronShape, parseEvery, scheduleSpec, type PlanRow } from '../../api/plans';

const HOUR = 3_600_000;
const plan = (fields: Partial<PlanRow>): PlanRow =>
  ({ id: 'pln_x', siteId: 's', customerId: 'c', title: 't', category: 'k', every: null, cron: null, startAt: new Date('2090-03-15T09:30:00+10:30'), timeZone: 'Australia/Adelaide', state: 'active', paused: false, createdBy: 'u', createdAt: new Date(), updatedAt: null, deletedAt: null, ...fields }) as PlanRow;

test('every: calendar months that repeat each year, or a fixed length of at least the minimum', () => {
  expect(parseEvery('P6M', HOUR)).toEqual({ kind: 'months', months: 6 });
  expect(parseEvery('P1Y', HOUR)).toEqual({ kind: 'months', months: 12 });
  expect(parseEvery('P14D', HOUR)).toEqual({ kind: 'fixed', ms: 14 * 24 * HOUR });
  expect(parseEvery('PT2S', 2000)).toEqual({ kind: 'fixed', ms: 2000 });
  expect(parseEvery('P5M', HOUR)).toMatch(/P6M or P1Y/);
  expect(parseEvery('P1M2D', HOUR)).toMatch(/cannot be mixed/);
  expect(parseEvery('PT30M', HOUR)).toBe('at least 1 hour between runs');
  expect(parseEvery('P0D', HOUR)).toMatch(/longer than zero/);
  expect(parseEvery('soon', HOUR)).toMatch(/ISO 8601/);
  expect(cronShape('0 8 1 */6 *')).toBeUndefined();
  expect(cronShape('@monthly')).toBeUndefined();
  expect(cronShape('0 8 1')).toMatch(/five fields/);
  expect(cronShape('@every 5m')).toMatch(/one of/);
});

test('the schedule fires at startAt and on its grid; months on its day and time on the plan clock', () => {
  const fixed = scheduleSpec(plan({ every: 'PT12H' }));
  const [interval] = fixed.intervals!;
  expect((plan({}).startAt.getTime() - Number(interval!.offset)) % (12 * HOUR)).toBe(0);
  const months = scheduleSpec(plan({ every: 'P6M', startAt: new Date('2090-01-31T08:00:00+10:30') }));
  expect(months.calendars![0]).toMatchObject({ month: ['JANUARY', 'JULY'], dayOfMonth: 28, hour: 8, minute: 0 });
  expect(months.timezone).toBe('Australia/Adelaide');
  expect(scheduleSpec(plan({ cron: '0 8 1 * *' }))).toMatchObject({ cronExpressions: ['0 8 1 * *'], timezone: 'Australia/Adelaide' });
});

test('PLAN_MIN_INTERVAL and PLAN_CATCHUP_WINDOW default to an hour and a day', () => {
  const secrets = { WEBHOOK_SECRET_MANUFACTURER: `whsec_${Buffer.from('manufacturer-secret-key').toString('base64')}`, WEBHOOK_SECRET_DESIGN: `whsec_${Buffer.from('design-secret-key-000').toString('base64')}`, JWT_SECRET: 'j'.repeat(32) };
  expect(loadConfig(secrets).plans).toEqual({ minIntervalMs: HOUR, catchupWindowMs: 24 * HOUR });
  expect(loadConfig({ ...secrets, PLAN_MIN_INTERVAL: 'PT2S', PLAN_CATCHUP_WINDOW: 'PT1M' }).plans).toEqual({ minIntervalMs: 2000, catchupWindowMs: 60_000 });
  expect(() => loadConfig({ ...secrets, PLAN_CATCHUP_WINDOW: 'a day' })).toThrow(/PLAN_CATCHUP_WINDOW/);
});
