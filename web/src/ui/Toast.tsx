// Short confirmations ("Service request completed"). They never cover a form: inside the
// console they sit in the page's flow, at the top of the content (the shell's toast slot),
// pushing the page down rather than floating over it; only where there is no slot (the
// sign-in page) do they float. Screen readers hear them from one polite live region that
// is always there, so the announcement never depends on where the toast is drawn.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface Toast {
  id: number;
  text: string;
}

const ToastContext = createContext<(text: string) => void>(() => undefined);

export const TOAST_SLOT_ID = 'toast-slot';

/** Where the shell wants its toasts: the first thing in its main content. */
export function ToastSlot() {
  return <div id={TOAST_SLOT_ID} className="toast-slot" />;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const show = useCallback((text: string) => {
    const id = next.current++;
    setToasts((current) => [...current.slice(-2), { id, text }]);
    window.setTimeout(() => setToasts((current) => current.filter((toast) => toast.id !== id)), 6000);
  }, []);
  const slot = typeof document === 'undefined' ? null : document.getElementById(TOAST_SLOT_ID);
  const latest = toasts.at(-1)?.id;
  // A new toast is brought into view when the page has scrolled past it.
  useEffect(() => {
    if (latest === undefined || !slot) return;
    const box = slot.getBoundingClientRect();
    if (box.bottom < 0 || box.top > window.innerHeight) slot.scrollIntoView({ block: 'nearest' });
  }, [latest, slot]);
  const list = (
    <div className={slot ? 'toasts toasts--inline' : 'toasts'} aria-hidden="true" data-testid="toasts">
      {toasts.map((toast) => (
        <p key={toast.id} className="toast">
          <span>✓ </span>
          {toast.text}
        </p>
      ))}
    </div>
  );
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <p key={toast.id}>{toast.text}</p>
        ))}
      </div>
      {slot ? createPortal(list, slot) : list}
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
