import { useId, useState, type DragEvent } from 'react';

/** Where files arrive: dropped on the zone, or chosen with the file picker (keyboard and screen readers). */
export function DropZone({ disabled, onFiles }: { disabled: boolean; onFiles: (files: File[]) => void }) {
  const [over, setOver] = useState(false);
  const inputId = useId();
  const hintId = useId();
  const take = (list: FileList | null) => {
    const files = list ? Array.from(list) : [];
    if (files.length && !disabled) onFiles(files);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files);
  };
  return (
    <div
      className={`drop-zone${over ? ' drop-over' : ''}${disabled ? ' drop-disabled' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="drop-title">Drop video files here</p>
      <p id={hintId} className="muted">
        One or more files. Large files go in parts straight to storage; an interrupted upload resumes when you pick the
        same file again.
      </p>
      <label htmlFor={inputId} className="button">
        Choose files
      </label>
      <input
        id={inputId}
        className="visually-hidden"
        type="file"
        multiple
        accept="video/*,audio/*,.mkv,.mov,.mp4,.webm,.avi,.mxf,.ts"
        aria-describedby={hintId}
        disabled={disabled}
        data-testid="file-input"
        onChange={(e) => {
          take(e.currentTarget.files);
          e.currentTarget.value = '';
        }}
      />
    </div>
  );
}
