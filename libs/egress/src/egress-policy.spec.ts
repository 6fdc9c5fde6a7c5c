import { LookupAddress } from 'node:dns';
import {
  egressPolicyFromEnv,
  guardedLookup,
  literalDestinationProblem,
  resolvedDestinationProblem,
} from './egress-policy';
import { isPrivateAddress } from './private-address';

const strict = { allowPrivateNetworks: false };
const open = { allowPrivateNetworks: true };
const resolver =
  (table: Record<string, string[]>) =>
  async (host: string): Promise<LookupAddress[]> => {
    const ips = table[host];
    if (!ips) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return ips.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '[::1]',
  ])('refuses %s', (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (ip) => expect(isPrivateAddress(ip)).toBe(false),
  );
});

describe('egressPolicyFromEnv', () => {
  it('forbids private networks unless TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, and refuses other values', () => {
    expect(egressPolicyFromEnv({})).toEqual(strict);
    expect(egressPolicyFromEnv({ TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })).toEqual(open);
    expect(egressPolicyFromEnv({ TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' })).toEqual(strict);
    expect(() => egressPolicyFromEnv({ TF_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'yes' })).toThrow(/true or false/);
  });
});

describe('literalDestinationProblem', () => {
  it('refuses private IP literals and localhost names, and lets public hosts and names through', () => {
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost/x',
      'https://api.localhost/',
      'http://[::1]:8080/',
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.5/',
    ])
      expect([url, literalDestinationProblem(url, strict)]).toEqual([url, expect.any(String)]);
    for (const url of ['https://hooks.example.com/x', 'http://93.184.216.34/', 'not a url'])
      expect(literalDestinationProblem(url, strict)).toBeUndefined();
    expect(literalDestinationProblem('http://127.0.0.1/', open)).toBeUndefined();
  });
});

describe('resolvedDestinationProblem', () => {
  const dns = resolver({
    'internal.example': ['10.0.0.7'],
    'mixed.example': ['93.184.216.34', '192.168.0.2'],
    'public.example': ['93.184.216.34'],
  });

  it('refuses a name with any private address, allows public ones, and leaves unresolvable names to the request', async () => {
    expect(await resolvedDestinationProblem('https://internal.example/h', strict, dns)).toMatch(
      /internal\.example resolves to 10\.0\.0\.7/,
    );
    expect(await resolvedDestinationProblem('https://mixed.example/h', strict, dns)).toMatch(/192\.168\.0\.2/);
    expect(await resolvedDestinationProblem('https://public.example/h', strict, dns)).toBeUndefined();
    expect(await resolvedDestinationProblem('https://nowhere.example/h', strict, dns)).toBeUndefined();
    expect(await resolvedDestinationProblem('https://internal.example/h', open, dns)).toBeUndefined();
  });
});

describe('guardedLookup', () => {
  const dns = resolver({ 'internal.example': ['10.0.0.7', '::1'], 'mixed.example': ['192.168.0.2', '93.184.216.34'] });
  const call = (policy: typeof strict, host: string, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family?: number }>((resolve) =>
      guardedLookup(policy, dns)(host, { all }, (err, address, family) => resolve({ err, address, family })),
    );

  it('hands the socket only public addresses, in both lookup forms', async () => {
    expect(await call(strict, 'mixed.example', false)).toEqual({ err: null, address: '93.184.216.34', family: 4 });
    expect((await call(strict, 'mixed.example', true)).address).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it('fails with EDESTINATIONFORBIDDEN when only private addresses remain, unless the policy allows them', async () => {
    const refused = await call(strict, 'internal.example', true);
    expect(refused.err?.code).toBe('EDESTINATIONFORBIDDEN');
    expect(refused.err?.message).toMatch(/WEBHOOK_DESTINATION_FORBIDDEN/);
    expect((await call(open, 'internal.example', false)).address).toBe('10.0.0.7');
  });
});
