/**
 * RFC 6381 codec strings as HLS wants them in CODECS: "avc1.640028,mp4a.40.2".
 * avc1.PPCCLL is profile_idc, constraint flags and level_idc, each a hex byte.
 */
const AVC_PROFILES: Readonly<Record<string, { idc: number; constraints: number }>> = {
  'constrained baseline': { idc: 0x42, constraints: 0xe0 },
  baseline: { idc: 0x42, constraints: 0x00 },
  main: { idc: 0x4d, constraints: 0x40 },
  extended: { idc: 0x58, constraints: 0x00 },
  high: { idc: 0x64, constraints: 0x00 },
  'high 10': { idc: 0x6e, constraints: 0x00 },
  'high 4:2:2': { idc: 0x7a, constraints: 0x00 },
  'high 4:4:4 predictive': { idc: 0xf4, constraints: 0x00 },
};

/** AAC object types (ISO 14496-3) for mp4a.40.N. */
const AAC_OBJECT_TYPES: Readonly<Record<string, number>> = { lc: 2, 'he-aac': 5, 'he-aacv2': 29 };

/** "avc1.64001f" for High@3.1. profile is ffprobe's name ("High", "Constrained Baseline"...). */
export function avc1Codec(profile: string, levelIdc: number): string {
  const known = AVC_PROFILES[profile.trim().toLowerCase()];
  if (!known) throw new Error(`No RFC 6381 mapping for H.264 profile "${profile}"`);
  return `avc1.${hex(known.idc)}${hex(known.constraints)}${hex(levelIdc)}`;
}

/** "mp4a.40.2" for AAC-LC (ffprobe profile "LC"). */
export function mp4aCodec(aacProfile = 'LC'): string {
  const objectType = AAC_OBJECT_TYPES[aacProfile.trim().toLowerCase()];
  if (objectType === undefined) throw new Error(`No RFC 6381 mapping for AAC profile "${aacProfile}"`);
  return `mp4a.40.${objectType}`;
}

/** The CODECS value of a rendition we encode: H.264 High at the given level, plus AAC-LC when it has audio. */
export function renditionCodecs(levelIdc: number, hasAudio: boolean): string {
  const video = avc1Codec('High', levelIdc);
  return hasAudio ? `${video},${mp4aCodec('LC')}` : video;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
