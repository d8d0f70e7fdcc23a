import type { Client } from '@temporalio/client';
import type { Database } from '../db';
import type { Config } from '../runtime/config';
import type { DocumentStore } from '../runtime/document-store';
import type { Logger } from '../runtime/logger';
import type { ChangeFeed } from './changes';

/** What the routers need; built once by the caller (embedded start, API main, tests). */
export interface ApiDeps {
  database: Database;
  temporal: Client;
  config: Config;
  logger: Logger;
  changes: ChangeFeed;
  documentStore: DocumentStore;
}
