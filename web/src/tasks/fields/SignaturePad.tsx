// A finger-drawn signature on a canvas (signature_pad), handed over as a PNG.
import { useEffect, useRef, useState } from 'react';
import SignaturePadLib from 'signature_pad';

interface Props {
  id: string;
  label: string;
  disabled: boolean;
  onSigned: (png: Blob) => void;
}

export function SignaturePad({ id, label, disabled, onSigned }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePadLib | null>(null);
  const [empty, setEmpty] = useState(true);

  useEffect(() => {
    const element = canvas.current!;
    // Draw at the screen's pixel density, so the signature is sharp.
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    element.width = element.offsetWidth * ratio;
    element.height = element.offsetHeight * ratio;
    element.getContext('2d')!.scale(ratio, ratio);
    const instance = new SignaturePadLib(element, { backgroundColor: 'rgb(255, 255, 255)', penColor: 'rgb(20, 30, 60)' });
    instance.addEventListener('endStroke', () => setEmpty(instance.isEmpty()));
    pad.current = instance;
    return () => instance.off();
  }, []);

  useEffect(() => {
    if (!pad.current) return;
    if (disabled) pad.current.off();
    else pad.current.on();
  }, [disabled]);

  return (
    <div className="signature">
      <canvas id={id} ref={canvas} className="signature__canvas" role="img" aria-label={`${label}: sign here with a finger or the mouse`} />
      <div className="signature__actions">
        <button
          type="button"
          className="button"
          disabled={disabled || empty}
          onClick={() => {
            pad.current?.clear();
            setEmpty(true);
          }}
        >
          Clear
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={disabled || empty}
          onClick={() => canvas.current?.toBlob((blob) => blob && onSigned(blob), 'image/png')}
        >
          Use this signature
        </button>
      </div>
    </div>
  );
}
