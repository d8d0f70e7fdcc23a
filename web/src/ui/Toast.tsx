// Short confirmations ("Service request completed") in a polite live region. They never
// cover a form: inside the console they sit in the page's flow, at the top of the content
// (the shell's toast slot), pushing the page down rather than floating over it; only where
// there is no slot (the sign-in page) do they float. The slot registers itself, so the
// (empty) live region is in place before a toast arrives and screen readers hear it.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface Toast {
  id: number;
  text: string;
}

const ToastContext = createContext<(text: string) => void>(() => undefined);
const SlotContext = createContext<(element: HTMLDivElement | null) => void>(() => undefined);

/** Where the shell wants its toasts: the first thing in its main content. */
export function ToastSlot() {
  return <div ref={useContext(SlotContext)} className="toast-slot" />;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [slot, setSlot] = useState<HTMLDivElement | null>(null);
  const next = useRef(1);
  const show = useCallback((text: string) => {
    const id = next.current++;
    setToasts((current) => [...current.slice(-2), { id, text }]);
    window.setTimeout(() => setToasts((current) => current.filter((toast) => toast.id !== id)), 6000);
  }, []);
  const latest = toasts.at(-1)?.id;
  // A new toast is brought into view when the page has scrolled past it.
  useEffect(() => {
    if (latest === undefined || !slot) return;
    const box = slot.getBoundingClientRect();
    if (box.bottom < 0 || box.top > window.innerHeight) slot.scrollIntoView({ block: 'nearest' });
  }, [latest, slot]);
  const region = (
    <div className={slot ? 'toasts toasts--inline' : 'toasts'} role="status" aria-live="polite" data-testid="toasts">
      {toasts.map((toast) => (
        <p key={toast.id} className="toast">
          <span aria-hidden="true">✓ </span>
          {toast.text}
        </p>
      ))}
    </div>
  );
  return (
    <ToastContext.Provider value={show}>
      <SlotContext.Provider value={setSlot}>{children}</SlotContext.Provider>
      {slot ? createPortal(region, slot) : region}
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
