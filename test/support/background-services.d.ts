/** True when the test file's text carries the `@tf-background-services` pragma (see background-services.js). */
export function usesBackgroundServices(path: string): boolean;
