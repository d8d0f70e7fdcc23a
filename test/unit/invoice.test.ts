import { invoiceFromProposal, invoiceFromProtocols, parseMoney, parsePercent, thousandths } from '../../api/invoice';

const SEK = { currency: 'SEK', labourCentsPerHour: 65_000, taxBasisPoints: 2500 };

describe('invoice draft arithmetic', () => {
  it('rounds each figure once from its exact value, and the page adds up', () => {
    // 2.5 m at 3.33 = 8.325 (shown 8.33); 0.335 packs at 3.00 = 1.005 (shown 1.01);
    // 7 minutes at 650/h = 75.8333… (shown 75.83). Exact subtotal 85.163333…
    const draft = invoiceFromProtocols(
      'p1',
      [
        {
          jobId: 'j1',
          protocol: {
            materials: [
              { name: 'PV cable 6 mm²', quantity: 2.5, unit: 'm', unitPriceCents: 333 },
            ],
            work: [{ description: 'Fault finding', minutes: 7 }],
          },
        },
        { jobId: 'j2', protocol: { materials: [{ name: 'Cable tie', quantity: 0.335, unit: 'pack', unitPriceCents: 300 }] } },
      ],
      SEK,
    );
    expect(draft.lines.map((l) => [l.kind, l.amountCents])).toEqual([
      ['material', 833], // 832.5 → 833 (half up)
      ['material', 101], // 100.5 → 101
      ['labour', 7583], // 7583.33…
    ]);
    // Exact subtotal 832.5 + 100.5 + 7583.333… = 8516.333… → 8516, not 833 + 101 + 7583 = 8517.
    expect(draft.subtotalCents).toBe(8516);
    // Tax 25 % of the exact 8516.333… = 2129.083… → 2129.
    expect(draft.taxCents).toBe(2129);
    expect(draft.totalCents).toBe(8516 + 2129);
    expect(draft.lines[2]).toMatchObject({ unit: 'h', quantity: 0.12, unitPriceCents: 65_000 });
  });

  it('rounds a half cent of tax up, once', () => {
    // 1 × 0.02 at 25 % = 0.005 of tax → 0.01.
    const draft = invoiceFromProtocols('p', [{ protocol: { materials: [{ name: 'Washer', quantity: 1, unit: 'pcs', unitPriceCents: 2 }] } }], SEK);
    expect([draft.subtotalCents, draft.taxCents, draft.totalCents]).toEqual([2, 1, 3]);
  });

  it('an empty protocol is a zero draft', () => {
    const draft = invoiceFromProtocols('p', [{ protocol: {} }], SEK);
    expect([draft.lines.length, draft.subtotalCents, draft.taxCents, draft.totalCents]).toEqual([0, 0, 0, 0]);
  });

  it('refuses a quantity with more than three decimals', () => {
    expect(() => thousandths(1.0005)).toThrow(/three decimals/);
    expect(thousandths(0.001)).toBe(1n);
  });

  it('a sales draft splits the accepted proposal (tax included) into net and tax', () => {
    // 10,000.00 AUD including 10 % GST: net 9,090.909… → 9,090.91, tax 909.09.
    const draft = invoiceFromProposal('p', { title: '6.6 kW system', amountCents: 1_000_000, currency: 'AUD' }, { ...SEK, currency: 'AUD', taxBasisPoints: 1000 });
    expect([draft.subtotalCents, draft.taxCents, draft.totalCents]).toEqual([909_091, 90_909, 1_000_000]);
    expect(draft.basis).toBe('proposal');
  });

  it('parses rates from configuration text', () => {
    expect(parseMoney('650', 'X')).toBe(65_000);
    expect(parseMoney('650.5', 'X')).toBe(65_050);
    expect(() => parseMoney('6,50', 'X')).toThrow(/X/);
    expect(parsePercent('12.5', 'T')).toBe(1250);
    expect(() => parsePercent('101', 'T')).toThrow(/T/);
  });
});
