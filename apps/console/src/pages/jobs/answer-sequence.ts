/**
 * Which answer a list may still apply: each read takes a ticket; starting a new read of the list (other
 * filters, a reload) makes every earlier ticket stale, so a slow answer for old filters never overwrites
 * the list for new ones and a "Load more" page of the old list is never appended to the new one.
 * `changed` says whether something (a live event) happened to the list while the ticket's read ran.
 */
export class AnswerSequence {
  private current = 0;
  private changedSince = new Map<number, boolean>();

  /** A read that replaces the list: every earlier ticket is stale from now on. */
  replace(): number {
    this.changedSince.clear();
    this.current += 1;
    this.changedSince.set(this.current, false);
    return this.current;
  }

  /** A read that extends the list as it is (Load more): stale as soon as the list is replaced. */
  extend(): number {
    return this.current;
  }

  isCurrent(ticket: number): boolean {
    return ticket === this.current;
  }

  /** Something changed the list while reads were running: their answers may already be behind. */
  noteChange(): void {
    for (const ticket of this.changedSince.keys()) this.changedSince.set(ticket, true);
  }

  /** Whether a change was noted since the ticket's read began (then the answer needs a re-read). */
  changed(ticket: number): boolean {
    return this.changedSince.get(ticket) ?? false;
  }
}
