import {
  AUDIO_PART,
  type ChunkRunState,
  assemblyApplies,
  partFinished,
  partWanted,
  videoPartName,
} from './chunk-fan-in';

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

  it('wants a part’s work only from the job’s latest run, in the state that needs it', () => {
    const run = (state: ChunkRunState, superseded = false) => ({ state, superseded });
    expect(partWanted('video', run('encoding'))).toBe(true);
    expect(partWanted('audio', run('encoding'))).toBe(true);
    expect(partWanted('assemble', run('assembling'))).toBe(true);
    // a failed (a part given up on), finished or unknown run
    expect(partWanted('video', run('failed'))).toBe(false);
    expect(partWanted('video', run('assembling'))).toBe(false);
    expect(partWanted('assemble', run('done'))).toBe(false);
    expect(partWanted('assemble', run('failed'))).toBe(false);
    expect(partWanted('video', null)).toBe(false);
    // a run a retry of the job superseded: neither its queued parts nor a replayed assembly
    expect(partWanted('video', run('encoding', true))).toBe(false);
    expect(partWanted('assemble', run('assembling', true))).toBe(false);
  });

  it('names parts so they sort in chunk order', () => {
    expect([videoPartName(10), videoPartName(2)].sort()).toEqual(['video:0002', 'video:0010']);
  });
});
