import type Hls from 'hls.js';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import './player.css';

/** What a page can do with the player: seek (a transcript line) and start playing. */
export interface PlayerHandle {
  seek: (seconds: number) => void;
}

interface Level {
  index: number;
  height: number;
}

interface Props {
  /** A signed HLS master URL (the job view's `playback.url`); null: play `mp4` instead, if any. */
  hlsUrl: string | null;
  /** A progressive MP4 (a rendition's presigned URL) for jobs without HLS. */
  mp4Url?: string | null;
  /** Text for screen readers: what is playing. */
  title: string;
  /** Called with a fatal playback error (network, media), e.g. an expired link's refused segments. */
  onFatalError?: (message: string) => void;
  autoPlay?: boolean;
}

/**
 * The video player: hls.js (loaded only when a page shows a player) with a quality switch and the
 * captions track; Safari's native HLS needs nothing of it. A job without HLS plays its MP4.
 */
export const Player = forwardRef<PlayerHandle, Props>(function Player(
  { hlsUrl, mp4Url = null, title, onFatalError, autoPlay = false },
  ref,
) {
  const video = useRef<HTMLVideoElement>(null);
  const hls = useRef<Hls | null>(null);
  const [levels, setLevels] = useState<Level[]>([]);
  const [level, setLevel] = useState(-1);
  const [captions, setCaptions] = useState<string[]>([]);
  const [caption, setCaption] = useState(-1);
  const [fatal, setFatal] = useState<string | null>(null);
  const fatalHandler = useRef(onFatalError);
  fatalHandler.current = onFatalError;

  useImperativeHandle(ref, () => ({
    seek: (seconds: number) => {
      const v = video.current;
      if (!v) return;
      v.currentTime = seconds;
      void v.play().catch(() => undefined);
    },
  }));

  useEffect(() => {
    const v = video.current;
    if (!v || !hlsUrl) return;
    let cancelled = false;
    const fail = (message: string) => {
      setFatal(message);
      fatalHandler.current?.(message);
    };
    void import('hls.js').then(
      ({ default: HlsJs }) => {
        if (cancelled) return;
        if (!HlsJs.isSupported()) {
          v.src = hlsUrl; // native HLS (Safari)
          return;
        }
        const player = new HlsJs();
        player.subtitleDisplay = false;
        hls.current = player;
        player.on(HlsJs.Events.MANIFEST_PARSED, (_e, d) => {
          setLevels(d.levels.map((l, index) => ({ index, height: l.height })).sort((a, b) => b.height - a.height));
          if (autoPlay) void v.play().catch(() => undefined);
        });
        player.on(HlsJs.Events.SUBTITLE_TRACKS_UPDATED, (_e, d) =>
          setCaptions(d.subtitleTracks.map((t) => t.name || t.lang || 'Captions')),
        );
        player.on(HlsJs.Events.LEVEL_SWITCHED, (_e, d) =>
          v.setAttribute('data-level-height', String(player.levels[d.level]?.height ?? '')),
        );
        player.on(HlsJs.Events.ERROR, (_e, d) => {
          if (d.fatal) fail(`${d.type}: ${d.details}${d.response?.code ? ` (HTTP ${d.response.code})` : ''}`);
        });
        player.loadSource(hlsUrl);
        player.attachMedia(v);
      },
      (e: unknown) => fail(`The player could not load: ${String(e)}`),
    );
    return () => {
      cancelled = true;
      hls.current?.destroy();
      hls.current = null;
      // A new hls.js starts on automatic quality with captions off: the selects must say so too.
      setLevels([]);
      setLevel(-1);
      setCaptions([]);
      setCaption(-1);
    };
  }, [hlsUrl, autoPlay]);

  const chooseLevel = (value: number) => {
    setLevel(value);
    if (hls.current) hls.current.currentLevel = value; // -1: automatic
  };
  const chooseCaption = (value: number) => {
    setCaption(value);
    const player = hls.current;
    if (!player) return;
    player.subtitleTrack = value;
    player.subtitleDisplay = value >= 0;
  };

  if (!hlsUrl && !mp4Url) return null;
  return (
    <figure className="player" data-testid="player" data-fatal-error={fatal ?? undefined}>
      <video
        ref={video}
        data-testid="player-video"
        controls
        muted
        playsInline
        preload="metadata"
        aria-label={title}
        src={hlsUrl ? undefined : (mp4Url ?? undefined)}
        autoPlay={!hlsUrl && autoPlay}
      />
      <figcaption className="player-controls">
        {levels.length > 0 && (
          <label>
            Quality{' '}
            <select value={level} onChange={(e) => chooseLevel(Number(e.target.value))} data-testid="quality-select">
              <option value={-1}>Auto</option>
              {levels.map((l) => (
                <option key={l.index} value={l.index}>
                  {l.height}p
                </option>
              ))}
            </select>
          </label>
        )}
        {captions.length > 0 && (
          <label>
            Captions{' '}
            <select
              value={caption}
              onChange={(e) => chooseCaption(Number(e.target.value))}
              data-testid="captions-select"
            >
              <option value={-1}>Off</option>
              {captions.map((name, i) => (
                <option key={i} value={i}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        )}
        {!hlsUrl && mp4Url && <span className="muted">MP4 (this job has no HLS stream)</span>}
      </figcaption>
      {fatal && (
        <p className="player-error" role="alert" data-testid="player-error">
          Playback stopped: {fatal}
        </p>
      )}
    </figure>
  );
});
