import { durationMs, loadConfig } from '../../runtime/config';

describe('configuration', () => {
  test('ISO 8601 durations become milliseconds', () => {
    expect(durationMs('PT2S', 'X')).toBe(2000);
    expect(durationMs('PT1.5S', 'X')).toBe(1500);
    expect(durationMs('P3D', 'X')).toBe(3 * 86_400_000);
    expect(durationMs('P1W', 'X')).toBe(7 * 86_400_000);
    expect(durationMs('P1DT2H30M', 'X')).toBe(86_400_000 + 2.5 * 3_600_000);
  });

  test('bad or zero durations and calendar units are refused with the variable named', () => {
    expect(() => durationMs('3 days', 'CHASE_MANUFACTURER_AFTER')).toThrow(/CHASE_MANUFACTURER_AFTER/);
    expect(() => durationMs('PT0S', 'X')).toThrow(/longer than zero/);
    expect(() => durationMs('P1M', 'X')).toThrow(/months/);
  });

  test('secrets are required outside the embedded mode', () => {
    expect(() => loadConfig({})).toThrow(/WEBHOOK_SECRET/);
    expect(() => loadConfig({ WEBHOOK_SECRET: 'w' })).toThrow(/JWT_SECRET/);
    const config = loadConfig({ WEBHOOK_SECRET: 'w', JWT_SECRET: 'j', CHASE_MANUFACTURER_AFTER: 'PT5S' });
    expect(config).toMatchObject({ port: 3000, temporalNamespace: 'default', demoPassword: 'demo', policy: { chaseManufacturerAfterMs: 5000 } });
  });
});
