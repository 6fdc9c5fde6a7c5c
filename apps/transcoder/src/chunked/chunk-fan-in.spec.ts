import { AUDIO_PART, assemblyApplies, partFinished, partGivenUp, partWanted, videoPartName } from './chunk-fan-in';

describe('partFinished (the fan-in of a split transcode)', () => {
  const pending = [videoPartName(0), videoPartName(1), AUDIO_PART];

  it('records a part and waits while others are pending', () => {
    expect(partFinished({ state: 'encoding', pendingParts: pending }, videoPartName(1))).toEqual({
      record: true,
      requestAssembly: false,
    });
  });

  it('requests the assembly with the last part, whichever it is', () => {
    expect(partFinished({ state: 'encoding', pendingParts: [AUDIO_PART] }, AUDIO_PART)).toEqual({
      record: true,
      requestAssembly: true,
    });
    expect(
      partFinished({ state: 'encoding', pendingParts: [videoPartName(0)] }, videoPartName(0)).requestAssembly,
    ).toBe(true);
  });

  it('ignores a part finished before (a redelivery) and requests no second assembly', () => {
    expect(partFinished({ state: 'encoding', pendingParts: [AUDIO_PART] }, videoPartName(0))).toEqual({
      record: false,
      requestAssembly: false,
    });
    expect(partFinished({ state: 'assembling', pendingParts: [] }, AUDIO_PART)).toEqual({
      record: false,
      requestAssembly: false,
    });
  });

  it('applies the assembly once', () => {
    expect(assemblyApplies('assembling')).toBe(true);
    expect(assemblyApplies('done')).toBe(false);
    expect(assemblyApplies('encoding')).toBe(false);
    expect(assemblyApplies(null)).toBe(false);
  });

  it('wants a part’s work only from a live run, in the state that needs it', () => {
    expect(partWanted('video', 'encoding')).toBe(true);
    expect(partWanted('audio', 'encoding')).toBe(true);
    expect(partWanted('assemble', 'assembling')).toBe(true);
    // a failed (a part given up on), finished or unknown run
    expect(partWanted('video', 'failed')).toBe(false);
    expect(partWanted('video', 'assembling')).toBe(false);
    expect(partWanted('assemble', 'done')).toBe(false);
    expect(partWanted('assemble', 'failed')).toBe(false);
    expect(partWanted('video', null)).toBe(false);
    // a run a retry of the job superseded: neither its queued parts nor a replayed assembly
    expect(partWanted('video', 'superseded')).toBe(false);
    expect(partWanted('assemble', 'superseded')).toBe(false);
  });

  it('fails the run and the job with the first part of a live run given up on, and nothing after', () => {
    const failsBoth = { failRun: true, failJob: true };
    expect(partGivenUp('encoding')).toEqual(failsBoth);
    expect(partGivenUp('assembling')).toEqual(failsBoth); // the assembly given up on
    // another part already failed the run (and the job), the run is done, or a retry superseded it
    for (const state of ['failed', 'done', 'superseded'] as const) {
      expect(partGivenUp(state)).toEqual({ failRun: false, failJob: false });
    }
    // a run never recorded: nothing to mark, but the job must not wait for it
    expect(partGivenUp(null)).toEqual({ failRun: false, failJob: true });
  });

  it('records no part and applies no assembly of a superseded run', () => {
    expect(partFinished({ state: 'superseded', pendingParts: [AUDIO_PART] }, AUDIO_PART).record).toBe(false);
    expect(assemblyApplies('superseded')).toBe(false);
  });

  it('names parts so they sort in chunk order', () => {
    expect([videoPartName(10), videoPartName(2)].sort()).toEqual(['video:0002', 'video:0010']);
  });
});
