/**
 * Keeps the end of a long stderr stream in bounded memory: an hour-long encode
 * can write megabytes of warnings, and only the last lines explain a failure.
 */
export class StderrTail {
  private text = '';

  constructor(private readonly maxChars = 16_384) {}

  push(chunk: string | Buffer): void {
    this.text += chunk.toString();
    if (this.text.length > this.maxChars * 2) this.text = this.text.slice(-this.maxChars);
  }

  /** The whole kept text, trimmed to maxChars. */
  all(): string {
    return this.text.slice(-this.maxChars).trim();
  }

  /** The last `count` non-empty lines. */
  lastLines(count = 15): string {
    return this.all()
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .slice(-count)
      .join('\n');
  }
}
