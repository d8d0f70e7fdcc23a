// Demo users and two demo customers with a site each, for the embedded start and the
// tests (never outside the embedded mode). Two installers and two customers, so that
// isolation shows: neither sees the other's work or cases.
import type { Db } from '../db';
import { articles, customers, sites, users } from '../db/schema';
import { hashPassword } from '../api/auth';
import { demoArticles } from '../api/routes/articles';

export const DEMO_CUSTOMER_ID = 'cus_demo';
export const DEMO_SITE_ID = 'sit_demo';
export const DEMO_CUSTOMER2_ID = 'cus_demo2';
export const DEMO_SITE2_ID = 'sit_demo2';
export const demoUsers = [
  { id: 'usr_demo_admin', email: 'admin@demo.test', name: 'Ada Admin', role: 'admin' },
  { id: 'usr_demo_ops', email: 'ops@demo.test', name: 'Olle Ops', role: 'ops' },
  { id: 'usr_demo_supervisor', email: 'supervisor@demo.test', name: 'Sam Supervisor', role: 'supervisor' },
  { id: 'usr_demo_installer', email: 'installer@demo.test', name: 'Ivy Installer', role: 'installer' },
  { id: 'usr_demo_customer', email: 'customer@demo.test', name: 'Cleo Customer', role: 'customer', customerId: DEMO_CUSTOMER_ID },
  { id: 'usr_demo_installer2', email: 'installer2@demo.test', name: 'Ian Installer', role: 'installer' },
  { id: 'usr_demo_customer2', email: 'customer2@demo.test', name: 'Cory Customer', role: 'customer', customerId: DEMO_CUSTOMER2_ID },
] as const;

/** Idempotent: a second start finds everything in place. */
export async function seedDemo(db: Db, password: string): Promise<void> {
  await db
    .insert(customers)
    .values({ id: DEMO_CUSTOMER_ID, name: 'Demo Solar Household', email: 'customer@demo.test', phone: '+61 400 000 000' })
    .onConflictDoNothing();
  await db
    .insert(customers)
    .values({ id: DEMO_CUSTOMER2_ID, name: 'Demo Bakery', email: 'customer2@demo.test', phone: '+61 400 000 002' })
    .onConflictDoNothing();
  await db
    .insert(sites)
    .values([
      { id: DEMO_SITE_ID, customerId: DEMO_CUSTOMER_ID, address: '1 Demo Street, Adelaide SA 5000', phases: 3, nmi: '2001985732', latitude: -34.9285, longitude: 138.6007 },
      { id: DEMO_SITE2_ID, customerId: DEMO_CUSTOMER2_ID, address: '2 Oven Lane, Adelaide SA 5000', phases: 1, latitude: -34.9212, longitude: 138.5995 },
    ])
    .onConflictDoNothing();
  const passwordHash = await hashPassword(password);
  await db
    .insert(users)
    .values(demoUsers.map((user) => ({ ...user, passwordHash, customerId: 'customerId' in user ? user.customerId : null })))
    .onConflictDoNothing();
  await db.insert(articles).values(demoArticles).onConflictDoNothing();
}
