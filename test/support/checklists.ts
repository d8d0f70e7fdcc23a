// Answers that fit a checklist, built from the JSON Schema of its `answers` (as GET
// /tasks/:id gives it): every required item answered with a plausible value, photos and
// signatures naming one uploaded PNG. Used by the flows, the history recorder and the bench.

/** A real 1×1 PNG: uploads are typed by their bytes. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

interface AnswerSchema {
  'x-itemType'?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
}

/** Does this checklist need an uploaded document (a photo or a signature) among its required items? */
export function needsDocument(answers: { properties?: Record<string, AnswerSchema>; required?: string[] } | undefined): boolean {
  return (answers?.required ?? []).some((id) => ['photo', 'signature'].includes(answers?.properties?.[id]?.['x-itemType'] ?? ''));
}

export function exampleAnswers(answers: { properties?: Record<string, AnswerSchema>; required?: string[] } | undefined, documentId?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const id of answers?.required ?? []) {
    const item = answers?.properties?.[id] ?? {};
    switch (item['x-itemType']) {
      case 'pass_fail_na':
        out[id] = { result: 'pass' };
        break;
      case 'number':
        out[id] = item.minimum !== undefined && item.maximum !== undefined ? (item.minimum + item.maximum) / 2 : (item.minimum ?? item.maximum ?? 1);
        break;
      case 'choice':
        out[id] = item.enum?.[0];
        break;
      case 'photo':
      case 'signature':
        if (!documentId) throw new Error(`the ${id} item needs an uploaded PNG`);
        out[id] = documentId;
        break;
      default:
        out[id] = 'Checked on site';
    }
  }
  return out;
}
