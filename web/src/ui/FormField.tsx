// Labelled inputs for the console's own forms (sign-in and new project); task forms are
// generated from schemas in tasks/.
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from 'react';

interface FrameProps {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  optional?: boolean;
  children: ReactNode;
}

function Frame({ id, label, error, hint, optional, children }: FrameProps) {
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {optional && <span className="optional"> (optional)</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {children}
      {error && (
        <p id={`${id}-error`} className="field-error">
          <span aria-hidden="true">! </span>
          {error}
        </p>
      )}
    </div>
  );
}

const describedBy = (id: string, hint?: string, error?: string) => [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & { id: string; label: string; error?: string; hint?: string; optional?: boolean; onValue: (value: string) => void };

export function InputField({ id, label, error, hint, optional, onValue, ...rest }: InputProps) {
  return (
    <Frame id={id} label={label} error={error} hint={hint} optional={optional}>
      <input id={id} type="text" aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} onChange={(event) => onValue(event.target.value)} {...rest} />
    </Frame>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange'> & { id: string; label: string; error?: string; hint?: string; optional?: boolean; onValue: (value: string) => void };

export function SelectField({ id, label, error, hint, optional, onValue, children, ...rest }: SelectProps) {
  return (
    <Frame id={id} label={label} error={error} hint={hint} optional={optional}>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} onChange={(event) => onValue(event.target.value)} {...rest}>
        {children}
      </select>
    </Frame>
  );
}
