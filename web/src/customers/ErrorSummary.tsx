// Every error of a refused edit at once, each linking to its field, said in words.
import { useEffect, useRef } from 'react';
import type { Problem } from '../api/types';
import { plainMessage } from '../tasks/errors';

/** The first message per field; messages for the body as a whole have the path "". */
export function messagesByField(problem: Problem | undefined): Map<string, string> {
  const messages = new Map<string, string>();
  for (const error of problem?.errors ?? []) if (!messages.has(error.path)) messages.set(error.path, plainMessage(error.message));
  return messages;
}

/** `fields` maps a body path to its input's id and label. */
export function ErrorSummary({ problem, fields }: { problem: Problem; fields: Record<string, { id: string; label: string }> }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [problem]);
  const messages = messagesByField(problem);
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={box} data-testid="error-summary">
      <p className="error-summary__title">{messages.size ? 'Check these and save again' : problem.title}</p>
      {!messages.size && problem.detail && <p>{problem.detail}</p>}
      {messages.size > 0 && (
        <ul>
          {[...messages].map(([path, message]) => {
            const field = fields[path];
            return (
              <li key={path || 'form'}>
                {field ? (
                  <a
                    href={`#${field.id}`}
                    onClick={(event) => {
                      event.preventDefault();
                      document.getElementById(field.id)?.focus();
                    }}
                  >
                    {field.label}: {message}
                  </a>
                ) : (
                  message
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
