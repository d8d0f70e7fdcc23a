// The QR token on its own: what we sign reads back, and a changed character anywhere, a
// missing part or another key does not; QR_TOKEN_TTL counts years and months by the calendar.
import { addDuration, calendarDuration } from '../../runtime/config';
import { readQrToken, signQrToken } from '../../api/qr/token';

const SECRET = 'unit-test-jwt-secret-of-at-least-32-chars';
const claims = { tokenId: 'qrt_0mhx1abcd1234567890ab', siteId: 'sit_demo', expiresAt: new Date('2028-11-24T05:00:00Z') };

test('a signed token reads back to its claims; it holds no raw secret and fits a small code', () => {
  const token = signQrToken(SECRET, claims);
  expect(readQrToken(SECRET, token)).toEqual(claims);
  expect(token).not.toContain(SECRET);
  expect(token.length).toBeLessThan(100);
  expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
});

test('every single changed character, a dropped part and another key are refused', () => {
  const token = signQrToken(SECRET, claims);
  for (let at = 0; at < token.length; at++) {
    if (token[at] === '.') continue;
    const altered = token.slice(0, at) + (token[at] === 'x' ? 'y' : 'x') + token.slice(at + 1);
    expect({ at, read: readQrToken(SECRET, altered) }).toEqual({ at, read: undefined });
  }
  expect(readQrToken(SECRET, token.split('.').slice(0, 3).join('.'))).toBeUndefined();
  expect(readQrToken(SECRET, `${token}.extra`)).toBeUndefined();
  expect(readQrToken('another-secret-of-at-least-32-characters', token)).toBeUndefined();
  expect(readQrToken(SECRET, '')).toBeUndefined();
});

test('QR_TOKEN_TTL: years and months by the calendar, seconds for tests, nonsense refused', () => {
  expect(addDuration(new Date('2026-11-24T05:00:00Z'), 'P2Y').toISOString()).toBe('2028-11-24T05:00:00.000Z');
  expect(addDuration(new Date('2026-01-31T00:00:00Z'), 'P1M').toISOString()).toBe('2026-03-03T00:00:00.000Z');
  expect(addDuration(new Date('2026-11-24T05:00:00Z'), 'PT2S').toISOString()).toBe('2026-11-24T05:00:02.000Z');
  expect(calendarDuration('P18M', 'QR_TOKEN_TTL')).toBe('P18M');
  expect(() => calendarDuration('two years', 'QR_TOKEN_TTL')).toThrow(/QR_TOKEN_TTL/);
  expect(() => calendarDuration('P0D', 'QR_TOKEN_TTL')).toThrow(/positive/);
});
