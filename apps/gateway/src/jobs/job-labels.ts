import { ApiError } from '../http/api-error';

/** At most this many labels per job, each 1..64 characters of [A-Za-z0-9_.:-], starting with a letter or digit. */
const MAX_LABELS = 20;
export const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
export const LABEL_RULE = 'must be 1..64 characters of letters, digits, _ . : - (starting with a letter or digit)';

const invalidLabel = (message: string): ApiError => ApiError.badRequest('INVALID_LABEL', message);

/** One label as given in a list filter; 400 INVALID_LABEL when it could never be a job's label. */
function parseLabel(raw: string): string {
  const label = raw.trim();
  if (!LABEL.test(label)) throw invalidLabel(`label ${JSON.stringify(raw)} ${LABEL_RULE}`);
  return label;
}

/**
 * The `labels` upload field: comma-separated, trimmed, blanks and duplicates dropped, order kept.
 * Absent or blank: no labels. Labels are case-sensitive.
 */
export function parseLabels(raw: string | undefined): string[] {
  const labels = [
    ...new Set(
      (raw ?? '')
        .split(',')
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ].map(parseLabel);
  if (labels.length > MAX_LABELS) throw invalidLabel(`at most ${MAX_LABELS} labels per job, got ${labels.length}`);
  return labels;
}
