// The Australian NMI (National Metering Identifier): 10 characters, or 11 with the NEM12
// checksum digit. Shared by the site API and the onboard_site task, so it has no imports
// but zod.
import { z } from 'zod';

export function nmiChecksum(nmi: string): number {
  let sum = 0;
  const chars = nmi.toUpperCase().split('').reverse();
  chars.forEach((char, index) => {
    let value = char.charCodeAt(0);
    if (index % 2 === 0) value *= 2;
    for (const digit of String(value)) sum += Number(digit);
  });
  return (10 - (sum % 10)) % 10;
}

/** A new schema each call: the worker preloads and freezes modules, and zod schemas cache onto themselves. */
export const nmiSchema = () =>
  z
  .string()
  .regex(/^[A-Za-z0-9]{10,11}$/, 'an NMI has 10 characters, or 11 with its checksum digit')
  .refine((value) => value.length === 10 || nmiChecksum(value.slice(0, 10)) === Number(value[10]), 'the NMI checksum digit does not match');
