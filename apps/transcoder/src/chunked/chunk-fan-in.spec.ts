import { AUDIO_PART, assemblyApplies, partFinished, videoPartName } from './chunk-fan-in';

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

  it('names parts so they sort in chunk order', () => {
    expect([videoPartName(10), videoPartName(2)].sort()).toEqual(['video:0002', 'video:0010']);
  });
});
