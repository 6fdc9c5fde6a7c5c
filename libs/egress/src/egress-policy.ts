import { EnvBool, readEnv } from '@tf/config';
import { LookupAddress, lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { isPrivateAddress } from './private-address';

/** Where outbound webhook requests may go. */
export interface EgressPolicy {
  /** Local development and tests: receivers on 127.0.0.1. Off in a deployment (docker-compose sets false). */
  allowPrivateNetworks: boolean;
}

/** TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS: `true` or `false` (default `false`: webhooks go to public addresses only). */
export function egressPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): EgressPolicy {
  return { allowPrivateNetworks: readEnv(EgressEnv, env).TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS };
}

class EgressEnv {
  @EnvBool() TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS = false;
}

const LOCAL_NAMES = /^(localhost|.*\.localhost|localhost\.localdomain)\.?$/i;

/**
 * Why the URL's host is refused without a DNS lookup: a private IP literal or a localhost name.
 * Undefined when the host may be public (a name still has to resolve to public addresses, see
 * resolvedDestinationProblem).
 */
export function literalDestinationProblem(url: string, policy: EgressPolicy): string | undefined {
  if (policy.allowPrivateNetworks) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined; // not a URL: the caller's own validation says so
  }
  if (LOCAL_NAMES.test(host)) return `${host} is this machine`;
  if (isIP(host) && isPrivateAddress(host)) return `${host} is a private, loopback or link-local address`;
  return undefined;
}

export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/**
 * The literal check, then the name's addresses: refused when any of them is private (a name that
 * resolves to both would let the connection pick the private one). A name that does not resolve is
 * not refused here: the request itself fails and says so.
 */
export async function resolvedDestinationProblem(
  url: string,
  policy: EgressPolicy,
  resolve: Resolver = systemResolver,
): Promise<string | undefined> {
  const literal = literalDestinationProblem(url, policy);
  if (literal || policy.allowPrivateNetworks) return literal;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return undefined;
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    return undefined;
  }
  const inside = addresses.find((a) => isPrivateAddress(a.address));
  return inside ? `${host} resolves to ${inside.address}, a private, loopback or link-local address` : undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls connections (undici's `connect.lookup`) that never hands a private address
 * to the socket: what the connection really dials is checked, so a name re-pointed between the
 * pre-check and the connect (DNS rebinding) is still refused.
 */
export function guardedLookup(policy: EgressPolicy, resolve: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const allowed = policy.allowPrivateNetworks ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
        if (allowed.length === 0) {
          const error: NodeJS.ErrnoException = new Error(
            `WEBHOOK_DESTINATION_FORBIDDEN: ${hostname} resolves only to private addresses`,
          );
          error.code = 'EDESTINATIONFORBIDDEN';
          callback(error, options.all ? [] : '', undefined);
          return;
        }
        if (options.all) callback(null, allowed);
        else callback(null, allowed[0].address, allowed[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, options.all ? [] : '', undefined),
    );
  };
}
