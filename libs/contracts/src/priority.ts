/**
 * Priority lanes: every pipeline topic has a `.high` and a `.low` sibling; normal traffic keeps the
 * base name. Producers route a job's events by its spec.priority; consumers subscribe to all three
 * lanes and take the higher ones first when there is a backlog.
 */
export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const isPriority = (value: unknown): value is Priority => PRIORITIES.includes(value as Priority);

/** The topic of `base`'s lane for `priority`. */
export const laneTopic = (base: string, priority: Priority = 'normal'): string =>
  priority === 'normal' ? base : `${base}.${priority}`;

/** All three lanes of a base topic, highest first. */
export const lanesOf = (base: string): string[] => PRIORITIES.map((p) => laneTopic(base, p));

/** Splits a lane topic into its base topic and priority. */
export function parseLaneTopic(topic: string): { base: string; priority: Priority } {
  const match = /^(.*)\.(high|low)$/.exec(topic);
  return match ? { base: match[1], priority: match[2] as Priority } : { base: topic, priority: 'normal' };
}

/** The lanes a message on `topic` should yield to (higher priorities of the same base topic). */
export const higherLanesThan = (topic: string): string[] => {
  const { base, priority } = parseLaneTopic(topic);
  return PRIORITIES.slice(0, PRIORITIES.indexOf(priority)).map((p) => laneTopic(base, p));
};
