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

  test('secrets are required outside the embedded mode, the JWT secret long enough', () => {
    const manufacturer = `whsec_${Buffer.from('manufacturer-secret-key').toString('base64')}`;
    const rotating = `${manufacturer} whsec_${Buffer.from('the-next-manufacturer-key').toString('base64')}`;
    const design = `whsec_${Buffer.from('design-secret-key-000').toString('base64')}`;
    const jwt = 'j'.repeat(32);
    expect(() => loadConfig({})).toThrow(/WEBHOOK_SECRET_MANUFACTURER/);
    expect(() => loadConfig({ WEBHOOK_SECRET_MANUFACTURER: manufacturer })).toThrow(/WEBHOOK_SECRET_DESIGN/);
    expect(() => loadConfig({ WEBHOOK_SECRET_MANUFACTURER: 'plain', WEBHOOK_SECRET_DESIGN: design, JWT_SECRET: jwt })).toThrow(/whsec_/);
    expect(() => loadConfig({ WEBHOOK_SECRET_MANUFACTURER: manufacturer, WEBHOOK_SECRET_DESIGN: design })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ WEBHOOK_SECRET_MANUFACTURER: manufacturer, WEBHOOK_SECRET_DESIGN: design, JWT_SECRET: 'short' })).toThrow(/at least 32/);
    const config = loadConfig({ WEBHOOK_SECRET_MANUFACTURER: rotating, WEBHOOK_SECRET_DESIGN: design, JWT_SECRET: jwt, CHASE_MANUFACTURER_AFTER: 'PT5S' });
    expect(config).toMatchObject({ port: 3000, temporalNamespace: 'default', demoPassword: 'demo', trustProxyHops: 0, embedded: false, policy: { chaseManufacturerAfterMs: 5000 } });
    expect(config.webhookSecrets.manufacturer).toHaveLength(2);
    expect(config.legacyWebhookSecret).toBeUndefined();
  });

  test('the ERP: a URL needs its key, the stand-in runs without one, the push has a timeout', () => {
    const embedded = { embedded: true };
    expect(loadConfig({ DATA_DIR: '/tmp/fieldflow-config-test' }, embedded)).toMatchObject({ erpStandInPort: 3110, erpTimeoutMs: 10_000 });
    expect(loadConfig({ DATA_DIR: '/tmp/fieldflow-config-test' }, embedded).erpUrl).toBeUndefined();
    expect(() => loadConfig({ DATA_DIR: '/tmp/fieldflow-config-test', ERP_URL: 'https://erp.example.com' }, embedded)).toThrow(/ERP_API_KEY/);
    expect(() => loadConfig({ DATA_DIR: '/tmp/fieldflow-config-test', ERP_URL: 'ftp://erp', ERP_API_KEY: 'k' }, embedded)).toThrow(/ERP_URL/);
    expect(() => loadConfig({ DATA_DIR: '/tmp/fieldflow-config-test', ERP_TIMEOUT: '10s' }, embedded)).toThrow(/ERP_TIMEOUT/);
    expect(loadConfig({ DATA_DIR: '/tmp/fieldflow-config-test', ERP_URL: 'https://erp.example.com', ERP_API_KEY: 'k', ERP_TIMEOUT: 'PT30S' }, embedded)).toMatchObject({
      erpUrl: 'https://erp.example.com',
      erpApiKey: 'k',
      erpTimeoutMs: 30_000,
    });
  });

  test('the embedded mode has fixed dev webhook secrets and the older X-Signature key', () => {
    const config = loadConfig({ DATA_DIR: require('node:os').tmpdir() + '/fieldflow-config-test' }, { embedded: true });
    expect(config.webhookSecrets.manufacturer[0]).toMatch(/^whsec_/);
    expect(config.legacyWebhookSecret).toBe('fieldflow-dev-webhook-secret');
  });
});
