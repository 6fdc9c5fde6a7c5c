import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { apiErrorFrom, type ApiError } from '../../api/api-error';
import type { Schemas } from '../../api';
import { Player } from '../../player/Player';
import { LoadingState } from '../../ui';
import './embed.css';

type Grant = Schemas['PlaybackGrantDto'];

/**
 * The embeddable player (/embed/{job_id}?token=…): no sign-in, the playback token is the authorization.
 * It asks the gateway what the token opens (GET /playback/{job}/{token}) and plays it until it expires;
 * an expired or forged link is said to be so.
 */
export default function EmbedPage() {
  const { jobId = '' } = useParams();
  const [search] = useSearchParams();
  const token = search.get('token') ?? '';
  const [grant, setGrant] = useState<Grant | null>(null);
  const [refused, setRefused] = useState<ApiError | null>(null);
  const [expired, setExpired] = useState(false);

  useEffect(() => {
    const abort = new AbortController();
    fetch(`/playback/${encodeURIComponent(jobId)}/${encodeURIComponent(token || '-')}`, {
      signal: abort.signal,
      cache: 'no-store',
    })
      .then(async (r) => {
        if (!r.ok) throw await apiErrorFrom(r);
        return (await r.json()) as Grant;
      })
      .then(setGrant, (e: unknown) => {
        if (!abort.signal.aborted) setRefused(e as ApiError);
      });
    return () => abort.abort();
  }, [jobId, token]);

  // The link stops at its expiry: segments are presigned no longer than the token, so say it rather than stall.
  useEffect(() => {
    if (!grant) return;
    const left = Date.parse(grant.expires_at) - Date.now();
    const timer = setTimeout(() => setExpired(true), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [grant]);

  const expiredNow = expired || refused?.code === 'PLAYBACK_TOKEN_EXPIRED';
  return (
    <main className="embed" id="main">
      <h1 className="visually-hidden">Video player</h1>
      {expiredNow ? (
        <div className="embed-message" role="alert" data-testid="embed-expired">
          <h2>This link has expired</h2>
          <p>
            <code>PLAYBACK_TOKEN_EXPIRED</code> Ask whoever shared it for a new one.
          </p>
        </div>
      ) : refused ? (
        <div className="embed-message" role="alert" data-testid="embed-refused">
          <h2>This video cannot be played</h2>
          <p>
            <code data-testid="error-code">{refused.code}</code> {refused.message}
          </p>
        </div>
      ) : grant ? (
        <Player hlsUrl={grant.url} title="Video" autoPlay />
      ) : (
        <LoadingState label="Loading the player…" />
      )}
    </main>
  );
}
