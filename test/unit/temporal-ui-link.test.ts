// The console's Temporal UI link is the address people's browsers reach
// (TEMPORAL_UI_PUBLIC_URL), never the server's own localhost by accident.
import { loadConfig } from '../../runtime/config';

const base = {
  WEBHOOK_SECRET_MANUFACTURER: `whsec_${Buffer.from('manufacturer-secret-key').toString('base64')}`,
  WEBHOOK_SECRET_DESIGN: `whsec_${Buffer.from('design-secret-key-000').toString('base64')}`,
  JWT_SECRET: 'j'.repeat(32),
};

test('TEMPORAL_UI_PUBLIC_URL is the link, without a trailing slash; TEMPORAL_UI_URL stands in when it is unset', () => {
  expect(loadConfig({ ...base, TEMPORAL_UI_PUBLIC_URL: 'https://temporal.example.com/' }).temporalUiPublicUrl).toBe('https://temporal.example.com');
  expect(loadConfig({ ...base, TEMPORAL_UI_URL: 'http://ui.internal:8233', TEMPORAL_UI_PUBLIC_URL: 'https://temporal.example.com' })).toMatchObject({
    temporalUiUrl: 'http://ui.internal:8233',
    temporalUiPublicUrl: 'https://temporal.example.com',
  });
  expect(loadConfig({ ...base, TEMPORAL_UI_URL: 'http://ui.internal:8233' }).temporalUiPublicUrl).toBe('http://ui.internal:8233');
  expect(loadConfig({ ...base }).temporalUiPublicUrl).toBeUndefined();
});

test('a link that is not an http(s) URL is refused at start, with the variable named', () => {
  expect(() => loadConfig({ ...base, TEMPORAL_UI_PUBLIC_URL: 'temporal.example.com' })).toThrow(/TEMPORAL_UI_PUBLIC_URL/);
  expect(() => loadConfig({ ...base, TEMPORAL_UI_PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/TEMPORAL_UI_PUBLIC_URL/);
});
