// Configuration, read from the environment in one place. Every variable is listed in
// the README; durations are ISO 8601 so tests can use seconds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseIsoDuration } from 'tinyduration';
import type { ProjectPolicy } from '../workflows/projects/definitions';
import { parseMoney, parsePercent, type InvoiceRates } from '../api/invoice';

/** The folder holding package.json, whether running from source or from dist/. */
export const appRoot = path.basename(path.dirname(__dirname)) === 'dist' ? path.resolve(__dirname, '..', '..') : path.resolve(__dirname, '..');

export interface Config {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  temporalAddress?: string;
  temporalCliPath?: string;
  temporalNamespace: string;
  temporalUiPort: number;
  /** The UI link `npm start` prints; set by it when it runs the dev server. */
  temporalUiUrl?: string;
  /**
   * Where people's browsers reach the Temporal UI (TEMPORAL_UI_PUBLIC_URL): the console's
   * links go there. Unset, they fall back to TEMPORAL_UI_URL, or to the dev server's
   * localhost address only while the API itself listens on loopback (see `npm start`).
   */
  temporalUiPublicUrl?: string;
  /** The company's IANA time zone (COMPANY_TIME_ZONE): the console shows dates and times in it. */
  companyTimeZone: string;
  taskQueue: string;
  /** The console's production build, served at `/` when present. */
  webDir: string;
  /** `npm start`: dev defaults for secrets, demo data, the older webhook signature. */
  embedded: boolean;
  /** Standard Webhooks secrets (`whsec_…`) per source; several during a rotation. */
  webhookSecrets: Record<WebhookSource, string[]>;
  /** Key of the older `X-Signature` header; only in the embedded mode. */
  legacyWebhookSecret?: string;
  jwtSecret: string;
  /** Proxies in front of the API whose X-Forwarded-For is believed; 0 trusts none. */
  trustProxyHops: number;
  demoPassword: string;
  maxUploadBytes: number;
  /** The largest image a protocol takes as an attachment (MAX_PHOTO_BYTES). */
  maxPhotoBytes: number;
  /** Cases one customer user may raise per hour (CASES_PER_HOUR); the office is not limited. */
  casesPerHour: number;
  /** Uploads one user may make per minute (UPLOADS_PER_MINUTE). */
  uploadsPerMinute: number;
  /** The invoice draft's rates: INVOICE_CURRENCY, LABOUR_RATE (per hour), TAX_RATE (percent). */
  invoice: InvoiceRates;
  updateTimeoutMs: number;
  /** The longest a request may take to arrive (headers and body): slow clients are cut after it. */
  requestTimeoutMs: number;
  logLevel: string;
  policy: ProjectPolicy;
  /** Where trips start from (DEPOT_LATITUDE, DEPOT_LONGITUDE): a trip's distance is pre-filled from it. */
  depot?: { latitude: number; longitude: number };
  /** The design tool's API (DESIGN_TOOL_URL); unset runs the stand-in (npm start, tests). */
  designToolUrl?: string;
  designToolApiKey?: string;
  /** The stand-in's port: 3100 in the embedded mode, a free one (0) elsewhere. */
  designStandInPort: number;
  /** The ERP's API (ERP_URL); unset runs the stand-in (npm start, tests). */
  erpUrl?: string;
  erpApiKey?: string;
  /** The ERP stand-in's port (ERP_STAND_IN_PORT): 3110 in the embedded mode, a free one elsewhere. */
  erpStandInPort: number;
  /** How long one push to the ERP may take (ERP_TIMEOUT) before it counts as failed and is retried. */
  erpTimeoutMs: number;
  /**
   * Where people reach Fieldflow (PUBLIC_URL, e.g. https://fieldflow.example.com): links in
   * mails and QR codes. Unset, the API's own address (set by startSystem once it listens).
   */
  publicUrl?: string;
  /** The mail server (SMTP_URL, `smtp://user:pass@host:587`); unset runs the local stand-in. */
  smtpUrl?: string;
  /** The sender of Fieldflow's mails (MAIL_FROM). */
  mailFrom: string;
  /**
   * Where a customer's message goes when nobody at the office is responsible for the case
   * yet (OFFICE_EMAIL, e.g. service@example.com); unset, to every active ops user.
   */
  officeEmail?: string;
  /** The mail stand-in's port: 2525 in the embedded mode, a free one (0) elsewhere. */
  mailStandInPort: number;
  /** Maintenance plans: the shortest `every` a plan may have (PLAN_MIN_INTERVAL) and how late a missed run is still caught up (PLAN_CATCHUP_WINDOW). */
  plans: { minIntervalMs: number; catchupWindowMs: number };
  /** How long a customer contact's invitation link works (INVITATION_TTL). */
  invitationTtlMs: number;
  /** How long a site's printed QR code stays valid (QR_TOKEN_TTL, ISO 8601: P2Y, P18M, PT30S). */
  qrTokenTtl: string;
}

/** An IANA time zone name the runtime knows ("Australia/Adelaide"), or a start-up error. */
export function timeZone(name: string, variable: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new Error(`${variable}: ${name} is not a time zone (use an IANA name such as Australia/Sydney)`);
  }
}

export function durationMs(iso: string, name: string): number {
  let d;
  try {
    d = parseIsoDuration(iso);
  } catch {
    throw new Error(`${name} must be an ISO 8601 duration such as PT30S or P3D, not "${iso}"`);
  }
  if (d.years || d.months) throw new Error(`${name}: years and months have no fixed length; use days (P30D)`);
  const seconds = (d.weeks ?? 0) * 604800 + (d.days ?? 0) * 86400 + (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
  if (!(seconds > 0)) throw new Error(`${name} must be longer than zero`);
  return Math.round(seconds * 1000);
}

/**
 * An ISO 8601 duration that may count years and months (a printed code lasts "two years",
 * not 730 days): checked here, added to a date by `addDuration`.
 */
export function calendarDuration(iso: string, name: string): string {
  try {
    const d = parseIsoDuration(iso);
    const total = (d.years ?? 0) + (d.months ?? 0) + (d.weeks ?? 0) + (d.days ?? 0) + (d.hours ?? 0) + (d.minutes ?? 0) + (d.seconds ?? 0);
    if (!d.negative && total > 0) return iso;
  } catch {
    // the message below says what fits
  }
  throw new Error(`${name} must be a positive ISO 8601 duration such as P2Y, P6M or PT30S, not "${iso}"`);
}

/** `from` plus a duration `calendarDuration` accepted: years and months by the calendar (UTC). */
export function addDuration(from: Date, iso: string): Date {
  const d = parseIsoDuration(iso);
  const at = new Date(from.getTime());
  if (d.years || d.months) at.setUTCMonth(at.getUTCMonth() + (d.years ?? 0) * 12 + (d.months ?? 0));
  const seconds = (d.weeks ?? 0) * 604800 + (d.days ?? 0) * 86400 + (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
  return new Date(at.getTime() + Math.round(seconds * 1000));
}

type Env = Record<string, string | undefined>;

export const WEBHOOK_SOURCES = ['manufacturer', 'design'] as const;
export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];
export const JWT_SECRET_MIN_LENGTH = 32;

/** The fixed secret of a source in the embedded mode, so the README's curl walk works. */
export const devWebhookSecret = (source: string) => `whsec_${Buffer.from(`fieldflow-dev-${source}-webhook-key`).toString('base64')}`;

/**
 * `embedded` is the `npm start` mode: secrets may default (the webhook secret to a fixed
 * dev value, the JWT secret to a random one kept in the data folder). Elsewhere they
 * are required.
 */
export function loadConfig(env: Env = process.env, { embedded = false } = {}): Config {
  const dataDir = path.resolve(env.DATA_DIR || './.fieldflow');
  const required = (name: string, fallback: () => string): string => {
    const value = env[name];
    if (value) return value;
    if (embedded) return fallback();
    throw new Error(`${name} is required outside the embedded mode (npm start)`);
  };
  return {
    port: Number(env.PORT ?? 3000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalCliPath: env.TEMPORAL_CLI_PATH || undefined,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    temporalUiPort: Number(env.TEMPORAL_UI_PORT ?? 8233),
    ...(env.TEMPORAL_UI_URL ? { temporalUiUrl: env.TEMPORAL_UI_URL } : {}),
    ...publicUrl(env.TEMPORAL_UI_PUBLIC_URL || env.TEMPORAL_UI_URL, env.TEMPORAL_UI_PUBLIC_URL ? 'TEMPORAL_UI_PUBLIC_URL' : 'TEMPORAL_UI_URL'),
    companyTimeZone: timeZone(env.COMPANY_TIME_ZONE || 'Australia/Adelaide', 'COMPANY_TIME_ZONE'),
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'fieldflow',
    webDir: path.resolve(env.WEB_DIR || path.join(appRoot, 'web', 'dist')),
    embedded,
    webhookSecrets: Object.fromEntries(
      WEBHOOK_SOURCES.map((source) => {
        const name = `WEBHOOK_SECRET_${source.toUpperCase()}`;
        const secrets = required(name, () => devWebhookSecret(source)).split(/\s+/).filter(Boolean);
        for (const secret of secrets) if (!/^whsec_[A-Za-z0-9+/=]{16,}$/.test(secret)) throw new Error(`${name}: each secret is whsec_ followed by base64`);
        return [source, secrets];
      }),
    ) as Record<WebhookSource, string[]>,
    ...(embedded ? { legacyWebhookSecret: env.WEBHOOK_SECRET || 'fieldflow-dev-webhook-secret' } : {}),
    jwtSecret: jwtSecret(required('JWT_SECRET', () => persistentSecret(dataDir)), embedded),
    trustProxyHops: nonNegative(env.TRUST_PROXY_HOPS ?? '0', 'TRUST_PROXY_HOPS'),
    demoPassword: env.DEMO_PASSWORD || 'demo',
    maxUploadBytes: Number(env.MAX_UPLOAD_BYTES ?? 25 * 1024 * 1024),
    maxPhotoBytes: Number(env.MAX_PHOTO_BYTES ?? 15 * 1024 * 1024),
    casesPerHour: positiveInteger(env.CASES_PER_HOUR ?? '30', 'CASES_PER_HOUR'),
    uploadsPerMinute: positiveInteger(env.UPLOADS_PER_MINUTE ?? '120', 'UPLOADS_PER_MINUTE'),
    invoice: {
      currency: currencyCode(env.INVOICE_CURRENCY || 'AUD'),
      labourCentsPerHour: parseMoney(env.LABOUR_RATE || '120.00', 'LABOUR_RATE'),
      taxBasisPoints: parsePercent(env.TAX_RATE || '10', 'TAX_RATE'),
    },
    updateTimeoutMs: durationMs(env.UPDATE_TIMEOUT || 'PT10S', 'UPDATE_TIMEOUT'),
    requestTimeoutMs: durationMs(env.REQUEST_TIMEOUT || 'PT2M', 'REQUEST_TIMEOUT'),
    logLevel: env.LOG_LEVEL || 'info',
    policy: {
      taskDueAfterMs: durationMs(env.TASK_DUE_AFTER || 'P2D', 'TASK_DUE_AFTER'),
      taskEscalateAfterMs: durationMs(env.TASK_ESCALATE_AFTER || 'P1D', 'TASK_ESCALATE_AFTER'),
      followUpCustomerAfterMs: durationMs(env.FOLLOW_UP_CUSTOMER_AFTER || 'P3D', 'FOLLOW_UP_CUSTOMER_AFTER'),
      jobWatchEveryMs: durationMs(env.JOB_WATCH_EVERY || 'PT15M', 'JOB_WATCH_EVERY'),
      readModelRetryMaxMs: durationMs(env.READ_MODEL_RETRY_MAX || 'PT5M', 'READ_MODEL_RETRY_MAX'),
      chaseManufacturerAfterMs: durationMs(env.CHASE_MANUFACTURER_AFTER || 'P3D', 'CHASE_MANUFACTURER_AFTER'),
      continueAsNewAfterEvents: Number(env.CONTINUE_AS_NEW_AFTER_EVENTS ?? 10_000),
      approvalLimitCents: nonNegative(env.APPROVAL_LIMIT_CENTS ?? '100000', 'APPROVAL_LIMIT_CENTS'),
      fieldTaskDueAfterStartMs: durationMs(env.FIELD_TASK_DUE_AFTER_START || 'PT4H', 'FIELD_TASK_DUE_AFTER_START'),
    },
    depot: depot(env),
    ...designTool(env, embedded),
    ...erp(env, embedded),
    ...(env.PUBLIC_URL ? { publicUrl: httpUrl(env.PUBLIC_URL, 'PUBLIC_URL') } : {}),
    ...(env.SMTP_URL ? { smtpUrl: smtpUrl(env.SMTP_URL) } : {}),
    mailFrom: env.MAIL_FROM || 'Fieldflow <no-reply@fieldflow.local>',
    ...(env.OFFICE_EMAIL ? { officeEmail: mailAddress(env.OFFICE_EMAIL, 'OFFICE_EMAIL') } : {}),
    invitationTtlMs: durationMs(env.INVITATION_TTL || 'P7D', 'INVITATION_TTL'),
    mailStandInPort: nonNegative(env.MAIL_STAND_IN_PORT ?? (embedded ? '2525' : '0'), 'MAIL_STAND_IN_PORT'),
    plans: {
      minIntervalMs: durationMs(env.PLAN_MIN_INTERVAL || 'PT1H', 'PLAN_MIN_INTERVAL'),
      catchupWindowMs: durationMs(env.PLAN_CATCHUP_WINDOW || 'P1D', 'PLAN_CATCHUP_WINDOW'),
    },
    qrTokenTtl: calendarDuration(env.QR_TOKEN_TTL || 'P2Y', 'QR_TOKEN_TTL'),
  };
}

/** A real ERP needs its URL and key together; without a URL the stand-in runs. */
function erp(env: Env, embedded: boolean): Pick<Config, 'erpUrl' | 'erpApiKey' | 'erpStandInPort' | 'erpTimeoutMs'> {
  const url = env.ERP_URL ? httpUrl(env.ERP_URL, 'ERP_URL') : undefined;
  const apiKey = env.ERP_API_KEY || undefined;
  if (url && !apiKey) throw new Error('ERP_API_KEY is required when ERP_URL is set');
  return {
    ...(url ? { erpUrl: url } : {}),
    ...(apiKey ? { erpApiKey: apiKey } : {}),
    erpStandInPort: nonNegative(env.ERP_STAND_IN_PORT ?? (embedded ? '3110' : '0'), 'ERP_STAND_IN_PORT'),
    erpTimeoutMs: durationMs(env.ERP_TIMEOUT || 'PT10S', 'ERP_TIMEOUT'),
  };
}

/** A real design tool needs its URL and key together; without a URL the stand-in runs. */
function designTool(env: Env, embedded: boolean): Pick<Config, 'designToolUrl' | 'designToolApiKey' | 'designStandInPort'> {
  const url = env.DESIGN_TOOL_URL || undefined;
  const apiKey = env.DESIGN_TOOL_API_KEY || undefined;
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`DESIGN_TOOL_URL must be an http(s) URL, not "${url}"`);
    }
    if (!/^https?:$/.test(parsed.protocol)) throw new Error(`DESIGN_TOOL_URL must be an http(s) URL, not "${url}"`);
    if (!apiKey) throw new Error('DESIGN_TOOL_API_KEY is required when DESIGN_TOOL_URL is set');
  }
  return {
    ...(url ? { designToolUrl: url } : {}),
    ...(apiKey ? { designToolApiKey: apiKey } : {}),
    designStandInPort: nonNegative(env.DESIGN_STAND_IN_PORT ?? (embedded ? '3100' : '0'), 'DESIGN_STAND_IN_PORT'),
  };
}

/** An absolute http(s) URL without a trailing slash, or a start-up error. */
function httpUrl(url: string, name: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) throw new Error(`${name} must be an http(s) URL such as https://fieldflow.example.com, not "${url}"`);
  return url.replace(/\/+$/, '');
}

function smtpUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^smtps?:$/.test(parsed.protocol)) throw new Error('SMTP_URL must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example.com:587');
  return url;
}

/** A link people follow from their browsers: an absolute http(s) URL. */
function publicUrl(url: string | undefined, name: string): Pick<Config, 'temporalUiPublicUrl'> {
  if (!url) return {};
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${name} must be an http(s) URL such as https://temporal.example.com, not "${url}"`);
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new Error(`${name} must be an http(s) URL such as https://temporal.example.com, not "${url}"`);
  return { temporalUiPublicUrl: url.replace(/\/+$/, '') };
}

function depot(env: Env): { latitude: number; longitude: number } | undefined {
  const { DEPOT_LATITUDE: lat, DEPOT_LONGITUDE: lon } = env;
  if (!lat && !lon) return undefined;
  const latitude = Number(lat);
  const longitude = Number(lon);
  if (!lat || !lon || !Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
    throw new Error('DEPOT_LATITUDE and DEPOT_LONGITUDE go together, as decimal degrees (-90..90, -180..180)');
  }
  return { latitude, longitude };
}

function jwtSecret(secret: string, embedded: boolean): string {
  if (!embedded && secret.length < JWT_SECRET_MIN_LENGTH) throw new Error(`JWT_SECRET must be at least ${JWT_SECRET_MIN_LENGTH} characters (try: openssl rand -hex 32)`);
  return secret;
}

function nonNegative(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`${name} must be a whole number, 0 or more`);
  return number;
}

/** A random JWT secret kept in the data folder, so tokens survive a restart of `npm start`. */
function persistentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  fs.mkdirSync(dataDir, { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

function currencyCode(code: string): string {
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`INVOICE_CURRENCY must be an ISO 4217 code such as AUD or SEK, not "${code}"`);
  return code;
}

function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not "${text}"`);
  return value;
}

/** One plain mail address (no display name), or a start-up error. */
function mailAddress(value: string, name: string): string {
  const address = value.trim();
  if (!/^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/.test(address)) throw new Error(`${name} must be one mail address such as service@example.com, not "${value}"`);
  return address;
}
