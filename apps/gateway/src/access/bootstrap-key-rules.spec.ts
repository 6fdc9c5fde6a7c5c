import { accessConfig } from './access.config';
import { EXAMPLE_API_KEYS, bootstrapKeyProblem, generateApiKey } from './api-key';

describe('TF_BOOTSTRAP_API_KEY rules', () => {
  it('accepts what the gateway generates (tfk_ + 43 base64url characters)', () => {
    for (let i = 0; i < 200; i++) expect(bootstrapKeyProblem(generateApiKey())).toBeUndefined();
    const key = generateApiKey();
    expect(accessConfig({ TF_BOOTSTRAP_API_KEY: key }).bootstrapApiKey).toBe(key);
    expect(accessConfig({}).bootstrapApiKey).toBeUndefined();
  });

  it.each([...EXAMPLE_API_KEYS])('refuses the documented example %p', (key) => {
    expect(bootstrapKeyProblem(key)).toMatch(/documented example/);
    expect(() => accessConfig({ TF_BOOTSTRAP_API_KEY: key })).toThrow(
      /^TF_BOOTSTRAP_API_KEY is the documented example key/,
    );
  });

  it.each([
    ['too short', `tfk_${generateApiKey().slice(5)}`],
    ['too long', `${generateApiKey()}A`],
    ['no marker', generateApiKey().slice(4)],
    ['another marker', `tfx_${generateApiKey().slice(4)}`],
    ['not base64url', `tfk_${generateApiKey().slice(4, 46)}+`],
    ['any string', 'admin'],
  ])('refuses a malformed key (%s), naming the variable', (_, key) => {
    expect(bootstrapKeyProblem(key)).toMatch(/must be tfk_ followed by 43 base64url characters/);
    expect(() => accessConfig({ TF_BOOTSTRAP_API_KEY: key })).toThrow(
      /^TF_BOOTSTRAP_API_KEY must be tfk_ followed by 43/,
    );
  });

  it.each([`tfk_${'x'.repeat(43)}`, `tfk_${'0'.repeat(43)}`, `tfk_${'my_admin_key_'.repeat(4).slice(0, 43)}`])(
    'refuses the placeholder %p',
    (key) => {
      expect(() => accessConfig({ TF_BOOTSTRAP_API_KEY: key })).toThrow(
        /^TF_BOOTSTRAP_API_KEY looks like a placeholder/,
      );
    },
  );
});
