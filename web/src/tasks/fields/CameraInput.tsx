// "Take photo": a button-sized label over a file input that opens the phone's camera.
interface Props {
  id: string;
  label: string;
  disabled: boolean;
  onFile: (file: File) => void | Promise<void>;
}

export function CameraInput({ id, label, disabled, onFile }: Props) {
  return (
    <>
      <label htmlFor={id} className="button photo-button">
        {label}
      </label>
      <input
        id={id}
        className="visually-hidden"
        type="file"
        accept="image/*"
        capture="environment"
        disabled={disabled}
        onChange={(event) => {
          const input = event.target;
          const file = input.files?.[0];
          if (file) void Promise.resolve(onFile(file)).then(() => (input.value = ''));
        }}
      />
    </>
  );
}
