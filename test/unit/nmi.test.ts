import { nmiChecksum, SiteBody } from '../../api/schemas';

describe('NMI', () => {
  test('the NEM12 checksum of published examples', () => {
    // Examples from AEMO's NMI procedure: NMI and its checksum digit.
    expect(nmiChecksum('2001985732')).toBe(8);
    expect(nmiChecksum('QAAAVZZZZZ')).toBe(3);
    expect(nmiChecksum('2001985733')).toBe(6);
    expect(nmiChecksum('QCDWW00010')).toBe(2);
  });

  test('sites accept 10 characters, or 11 with the right checksum digit', () => {
    expect(SiteBody.safeParse({ address: 'a', nmi: '2001985732' }).success).toBe(true);
    expect(SiteBody.safeParse({ address: 'a', nmi: '20019857328' }).success).toBe(true);
    expect(SiteBody.safeParse({ address: 'a', nmi: '20019857320' }).success).toBe(false);
    expect(SiteBody.safeParse({ address: 'a', nmi: '2001-98573' }).success).toBe(false);
  });
});
