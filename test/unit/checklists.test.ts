// The shipped checklist templates are valid templates, and the answer check names items
// in people's words.
import { answersSchema, checkAnswers, ChecklistTemplateBody, CHECKLIST_TASK_TYPES, type ChecklistItem } from '../../api/checklists/items';
import { SHIPPED_TEMPLATES } from '../../api/checklists/shipped';
import { exampleAnswers } from '../support/checklists';

test.each(CHECKLIST_TASK_TYPES.map((type) => [type]))('the shipped %s template is a valid edit and has required items', (type) => {
  const template = SHIPPED_TEMPLATES[type];
  const parsed = ChecklistTemplateBody.safeParse({ title: template.title, items: template.items });
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  expect(template.items.filter((item) => item.required).length).toBeGreaterThan(2);
  // The example answers of the tests fit it.
  const answers = exampleAnswers(answersSchema(template.items) as never, 'doc_png');
  expect(checkAnswers(template.items, answers, new Map([['doc_png', 'image/png']]))).toEqual([]);
});

const items: ChecklistItem[] = [
  { id: 'dc', label: 'DC isolator condition', type: 'pass_fail_na', required: true },
  { id: 'volts', label: 'String 1 voltage', type: 'number', required: true, unit: 'V', min: 0, max: 1000 },
  { id: 'roof', label: 'Roof type', type: 'choice', required: false, options: ['Tin', 'Tile'] },
  { id: 'sig', label: 'Customer signature', type: 'signature', required: true },
];

test('every bad item is named at once', () => {
  expect(checkAnswers(items, { dc: { result: 'na' }, volts: 1000.5, roof: 'Slate', sig: 'doc_jpeg', x: 1 }, new Map([['doc_jpeg', 'image/jpeg']]))).toEqual([
    { path: 'answers.volts', message: 'String 1 voltage: must be at most 1000 V' },
    { path: 'answers.roof', message: 'Roof type: choose one of Tin, Tile' },
    { path: 'answers.sig', message: 'Customer signature: doc_jpeg is not a PNG image' },
    { path: 'answers.x', message: 'x: not an item of this checklist' },
  ]);
  expect(checkAnswers(items, { dc: { result: 'fail', comment: '  ' } }, new Map())).toEqual([
    { path: 'answers.dc', message: 'DC isolator condition: a comment is required when it fails' },
    { path: 'answers.volts', message: 'String 1 voltage: required' },
    { path: 'answers.sig', message: 'Customer signature: required' },
  ]);
});

test('an edit with min above max, repeated ids or no options is refused', () => {
  const parsed = ChecklistTemplateBody.safeParse({
    items: [
      { id: 'a', label: 'A', type: 'number', required: true, min: 5, max: 1 },
      { id: 'a', label: 'B', type: 'choice', required: true, options: [] },
    ],
  });
  expect(parsed.success).toBe(false);
  expect(parsed.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['items.0.max', 'items.1.id', 'items.1.options']);
});
