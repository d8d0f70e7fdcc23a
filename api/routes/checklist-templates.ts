// Checklist templates: staff read them, admins edit them, and every edit is a new version
// (tasks already open keep theirs: see tasks.template_version).
import { Router } from 'express';
import { authorize } from '../access';
import { currentUser } from '../auth';
import { ChecklistTemplateBody, isChecklistType } from '../checklists/items';
import { currentTemplates, findTemplate, saveTemplate, templateVersions, templateView } from '../checklists/store';
import type { ApiDeps } from '../deps';
import { notFound } from '../problem';
import { TemplateVersionQuery } from '../schemas';

export function createChecklistTemplatesRouter({ database }: ApiDeps): Router {
  const { db } = database;
  const router = Router();

  router.get('/checklist-templates', async (req, res) => {
    authorize(currentUser(req), 'read', { kind: 'checklistTemplates' });
    res.json({ items: (await currentTemplates(db)).map(templateView), nextCursor: null });
  });

  router.get('/checklist-templates/:taskType', async (req, res) => {
    authorize(currentUser(req), 'read', { kind: 'checklistTemplates' });
    const taskType = checklistType(req.params.taskType);
    const { version } = TemplateVersionQuery.parse(req.query);
    const row = await findTemplate(db, taskType, version);
    if (!row) throw notFound(version ? `no version ${version} of the ${taskType} template` : `no ${taskType} template`);
    res.json({ ...templateView(row), versions: await versionsOf(taskType) });
  });

  router.put('/checklist-templates/:taskType', async (req, res) => {
    const user = currentUser(req);
    authorize(user, 'update', { kind: 'checklistTemplates' }, 'only admins edit checklist templates');
    const taskType = checklistType(req.params.taskType);
    const body = ChecklistTemplateBody.parse(req.body ?? {});
    const { row, created } = await saveTemplate(db, taskType, body, user.id);
    res.status(created ? 201 : 200).json({ ...templateView(row), versions: await versionsOf(taskType) });
  });

  async function versionsOf(taskType: string) {
    return (await templateVersions(db, taskType)).map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() }));
  }

  return router;
}

function checklistType(name: string) {
  if (!isChecklistType(name)) throw notFound(`${name} is not a checklist task type`);
  return name;
}
