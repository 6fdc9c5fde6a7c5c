import { useId } from 'react';
import { LANGUAGES, PRIORITIES, RESOLUTIONS, type JobOptions } from './job-options';

/** The job options every file of the next drop gets (the same fields as the API's upload). */
export function JobOptionsFieldset({
  options,
  onChange,
  problem,
}: {
  options: JobOptions;
  onChange: (options: JobOptions) => void;
  problem: string | null;
}) {
  const id = useId();
  const set = <K extends keyof JobOptions>(key: K, value: JobOptions[K]) => onChange({ ...options, [key]: value });
  const toggleResolution = (r: string, on: boolean) =>
    set('resolutions', on ? [...options.resolutions, r] : options.resolutions.filter((x) => x !== r));
  return (
    <form className="card job-options" aria-label="Job options" onSubmit={(e) => e.preventDefault()}>
      <fieldset className="resolutions" aria-describedby={problem ? `${id}-problem` : undefined}>
        <legend>Resolutions</legend>
        {RESOLUTIONS.map((r) => (
          <label key={r} className="check">
            <input
              type="checkbox"
              checked={options.resolutions.includes(r)}
              onChange={(e) => toggleResolution(r, e.currentTarget.checked)}
            />{' '}
            {r}
          </label>
        ))}
        {problem && (
          <p id={`${id}-problem`} className="field-problem" role="alert">
            {problem}
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Outputs</legend>
        <label className="check">
          <input type="checkbox" checked={options.hls} onChange={(e) => set('hls', e.currentTarget.checked)} /> HLS
          streaming
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={options.transcription}
            onChange={(e) => set('transcription', e.currentTarget.checked)}
          />{' '}
          Transcript and captions
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-language`}>Spoken language</label>
        <select
          id={`${id}-language`}
          value={options.language}
          disabled={!options.transcription}
          onChange={(e) => set('language', e.currentTarget.value)}
        >
          {LANGUAGES.map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-priority`}>Priority</label>
        <select
          id={`${id}-priority`}
          value={options.priority}
          onChange={(e) => set('priority', e.currentTarget.value as JobOptions['priority'])}
        >
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-labels`}>Labels</label>
        <input
          id={`${id}-labels`}
          type="text"
          placeholder="campaign-42, draft"
          aria-describedby={`${id}-labels-hint`}
          value={options.labels}
          onChange={(e) => set('labels', e.currentTarget.value)}
        />
        <span id={`${id}-labels-hint`} className="hint">
          Comma-separated; filter the job list by them.
        </span>
      </div>
      <div className="field field-wide">
        <label htmlFor={`${id}-webhook`}>Webhook URL</label>
        <input
          id={`${id}-webhook`}
          type="url"
          placeholder="https://example.com/hooks/transcode"
          aria-describedby={`${id}-webhook-hint`}
          value={options.webhookUrl}
          onChange={(e) => set('webhookUrl', e.currentTarget.value)}
        />
        <span id={`${id}-webhook-hint`} className="hint">
          Optional: told when the job completes or fails.
        </span>
      </div>
    </form>
  );
}
