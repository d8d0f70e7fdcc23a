// problem+json field errors, found by the dotted path of the field they name
// ("jobType", "assets.0.serial", "documentIds.0").
import type { FieldError } from '../api/types';

export class FieldErrors {
  constructor(readonly all: FieldError[] = []) {}

  /** Messages for exactly this path. */
  at(path: string): string[] {
    return this.all.filter((error) => error.path === path).map((error) => plainMessage(error.message));
  }

  /** Messages for this path and any path inside it (a list shows its items' errors too). */
  within(path: string): string[] {
    return this.all.filter((error) => error.path === path || error.path.startsWith(`${path}.`)).map((error) => plainMessage(error.message));
  }
}

export const fieldId = (formId: string, path: string): string => `${formId}-${path.replace(/[^A-Za-z0-9_-]+/g, '-') || 'form'}`;

/** zod's wording, said the way a form says it. */
export function plainMessage(message: string): string {
  if (/received undefined|^Required$/i.test(message)) return 'This is required';
  // The API's plain words (workflows/tasks/issues.ts), said as a form says them.
  const choice = /^choose one of: (.+)$/.exec(message)?.[1];
  if (choice) return `Choose one: ${choice}`;
  if (/expected string to have >=1 characters/.test(message)) return 'This is required';
  if (/expected array to have >=1 items/.test(message)) return 'Add at least one';
  const options = /^Invalid (?:option|discriminator value)\.?:? [Ee]xpected (?:one of )?(.+)$/.exec(message)?.[1];
  if (options) {
    const names = options.match(/["']([^"']+)["']/g)?.map((quoted) => quoted.slice(1, -1).replace(/_/g, ' '));
    return names?.length ? `Choose one: ${names.join(', ')}` : 'Choose one of the options';
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** Focuses the field an error names, or the nearest enclosing one that is on screen. */
export function focusField(formId: string, path: string): void {
  const parts = path.split('.');
  while (parts.length) {
    const element = document.getElementById(fieldId(formId, parts.join('.')));
    if (element) {
      const target = element.matches('input, select, textarea, button') ? element : element.querySelector<HTMLElement>('input, select, textarea, button');
      (target ?? element).focus();
      (target ?? element).scrollIntoView({ block: 'center', behavior: 'smooth' });
      return;
    }
    parts.pop();
  }
}
