// The Express app, apart from its listener, so tests and the embedded start mount it alike.
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import { currentUser, login, requireUser, UserDirectory } from './auth';
import type { ApiDeps } from './deps';
import { openApiDocument } from './openapi';
import { notFound, problemHandler, unavailable } from './problem';
import { createCustomersRouter } from './routes/customers';
import { createDocumentsRouter } from './routes/documents';
import { createEventsRouter } from './routes/events';
import { createArticlesRouter } from './routes/articles';
import { createFieldWorkRouter } from './routes/fieldwork';
import { createJobsRouter } from './routes/jobs';
import { createDispatchRouter } from './routes/dispatch';
import { boundedBody, storableUrl } from './body-shape';
import { limits, untrustedForwardingWarning } from './limits';
import { createMetaRouter } from './routes/meta';
import { createStreamRouter, createStreamTicketRouter } from './routes/stream';
import { createUsersRouter } from './routes/users';
import { createNotificationsRouter } from './routes/notifications';
import { createSupervisorRouter } from './routes/supervisor';
import { createProjectsRouter } from './routes/projects';
import { createCasesRouter } from './routes/cases';
import { createPlansRouter } from './routes/plans';
import { createInvitationsRouter, createPublicInvitationsRouter } from './routes/invitations';
import { createQrCodesRouter, createQrFormRouter } from './routes/qr';
import { createSitesRouter } from './routes/sites';
import { createSearchRouter } from './routes/search';
import { createJobMessagesRouter } from './routes/job-messages';
import { createCaseMessagesRouter } from './routes/case-messages';
import { createJobCardRouter } from './routes/job-card';
import { createInvoicesRouter } from './routes/invoices';
import { createTasksRouter } from './routes/tasks';
import { createRoutingRouter } from './routes/routing';
import { createChecklistTemplatesRouter } from './routes/checklist-templates';
import { createExportsRouter } from './routes/exports';
import { createStatsRouter } from './routes/stats';
import { LoginBody } from './schemas';

export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  const directory = new UserDirectory(deps.database.db);
  app.disable('x-powered-by');
  // Only as many proxies as configured may say who the client is (rate limits key on it).
  app.set('trust proxy', deps.config.trustProxyHops);
  app.use(untrustedForwardingWarning(deps.logger, deps.config.trustProxyHops));
  app.use(
    pinoHttp({
      logger: deps.logger,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      // The path without its query (a stream ticket travels there), and no headers but
      // a few harmless ones: no token of any kind reaches a log line.
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string; headers?: Record<string, unknown> }) => ({
          id: req.id,
          method: req.method,
          url: loggedPath(String(req.url)),
          remoteAddress: req.remoteAddress,
          userAgent: req.headers?.['user-agent'],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'connect-src': ["'self'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          // React sets style attributes; the docs page has an inline <style>.
          'style-src': ["'self'", "'unsafe-inline'"],
          'frame-ancestors': ["'none'"],
          'upgrade-insecure-requests': null,
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  // Public routes: health, docs, login, and webhooks (verified by their signature).
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([
      deps.database.ping(),
      deps.temporal.withDeadline(Date.now() + 2000, () => deps.temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const [database, temporal] = checks.map((check) => (check.status === 'fulfilled' ? 'ok' : 'down'));
    if (database !== 'ok' || temporal !== 'ok') throw unavailable(`database ${database}, temporal ${temporal}`);
    res.json({ status: 'ready', database, temporal });
  });
  const document = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use(storableUrl);
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'Fieldflow API' }));
  app.use(createEventsRouter(deps));
  app.use(createStreamRouter(deps, directory));
  mountConsole(app, deps.config.webDir);

  app.use(express.json({ limit: '1mb' }));
  app.use(boundedBody);
  app.post('/auth/login', limits.loginPerAddress(), limits.login(), limits.loginPerEmail(), async (req, res) => {
    const body = LoginBody.parse(req.body);
    res.json(await login(deps.database.db, deps.config.jwtSecret, body.email, body.password));
  });

  // An invitation link signs its contact in, like the login above.
  app.use(createPublicInvitationsRouter(deps));
  // The QR form is public: the signed token in its path is what lets a stranger in.
  app.use(createQrFormRouter(deps));

  app.use(requireUser(deps.config.jwtSecret, directory));
  app.get('/auth/me', (req, res) => {
    res.json(currentUser(req));
  });
  app.use(createMetaRouter(deps));
  app.use(createCustomersRouter(deps));
  app.use(createProjectsRouter(deps));
  app.use(createCasesRouter(deps));
  app.use(createPlansRouter(deps));
  app.use(createInvitationsRouter(deps));
  app.use(createTasksRouter(deps));
  app.use(createChecklistTemplatesRouter(deps));
  app.use(createDocumentsRouter(deps));
  app.use(createJobsRouter(deps));
  app.use(createDispatchRouter(deps));
  app.use(createSitesRouter(deps));
  app.use(createQrCodesRouter(deps));
  app.use(createSearchRouter(deps));
  app.use(createJobMessagesRouter(deps));
  app.use(createCaseMessagesRouter(deps));
  app.use(createJobCardRouter(deps));
  app.use(createInvoicesRouter(deps));
  app.use(createFieldWorkRouter(deps));
  app.use(createArticlesRouter(deps));
  app.use(createExportsRouter(deps));
  app.use(createStatsRouter(deps));
  app.use(createUsersRouter(deps, directory));
  app.use(createRoutingRouter(deps));
  app.use(createNotificationsRouter(deps));
  app.use(createSupervisorRouter(deps));
  app.use(createStreamTicketRouter(deps));

  app.use((req) => {
    throw notFound(`no route ${req.method} ${req.path}`);
  });
  app.use(problemHandler);
  return app;
}

/**
 * The web console's build: its assets as static files, and index.html for any page a
 * browser navigates to. API clients ask for JSON, browsers for HTML, so `/projects`
 * is the list for one and the console page for the other.
 */
/**
 * The path as a log line keeps it: no query (a stream ticket travels there), and no token
 * that is a path segment (an invitation link signs a contact in; a QR code raises cases).
 */
export const loggedPath = (url: string): string => url.split('?')[0]!.replace(/^\/(invitations|qr)\/[^/]+/, '/$1/:token');

function mountConsole(app: express.Express, dir: string): void {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return;
  app.use(express.static(dir, { index: false, maxAge: '1h', setHeaders: (res, file) => file.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') }));
  app.get(/.*/, (req, res, next) => {
    if (req.accepts(['json', 'html']) !== 'html') return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
