import { ConfigError, EnvBool, EnvInt, EnvNumber, EnvOneOf, EnvString, EnvUrl, readEnv } from './read-env';

class ExampleEnv {
  @EnvInt({ min: 1, max: 10 }) TF_ATTEMPTS = 5;
  @EnvInt() TF_OPTIONAL_MS?: number;
  @EnvNumber({ positive: true }) TF_SCALE = 1;
  @EnvBool() TF_FLAG = false;
  @EnvString() TF_DIR = '/tmp';
  @EnvOneOf(['a', 'b']) TF_MODE = 'a';
  @EnvUrl() TF_ENDPOINT?: string;
}

describe('readEnv', () => {
  it('keeps the defaults for unset and blank variables', () => {
    expect(readEnv(ExampleEnv, {})).toMatchObject({
      TF_ATTEMPTS: 5,
      TF_OPTIONAL_MS: undefined,
      TF_SCALE: 1,
      TF_FLAG: false,
      TF_DIR: '/tmp',
      TF_MODE: 'a',
    });
    expect(readEnv(ExampleEnv, { TF_ATTEMPTS: '', TF_FLAG: '  ' })).toMatchObject({ TF_ATTEMPTS: 5, TF_FLAG: false });
  });

  it('converts what is set to the declared type', () => {
    const read = readEnv(ExampleEnv, {
      TF_ATTEMPTS: '3',
      TF_OPTIONAL_MS: '250',
      TF_SCALE: '0.5',
      TF_FLAG: 'TRUE',
      TF_DIR: '/scratch',
      TF_MODE: 'b',
    });
    expect(read).toMatchObject({
      TF_ATTEMPTS: 3,
      TF_OPTIONAL_MS: 250,
      TF_SCALE: 0.5,
      TF_FLAG: true,
      TF_DIR: '/scratch',
      TF_MODE: 'b',
    });
    expect(readEnv(ExampleEnv, { TF_FLAG: 'false' }).TF_FLAG).toBe(false);
  });

  it.each(['http://127.0.0.1:9000', 'http://s3:9000', 'https://media.example.com/s3'])(
    'reads the URL %s as given',
    (url) => {
      expect(readEnv(ExampleEnv, { TF_ENDPOINT: url }).TF_ENDPOINT).toBe(url);
    },
  );

  it('takes only the declared variables from the environment', () => {
    expect(Object.keys(readEnv(ExampleEnv, { TF_ATTEMPTS: '2', PATH: '/bin', TF_OTHER: 'x' }))).not.toEqual(
      expect.arrayContaining(['PATH', 'TF_OTHER']),
    );
  });

  it.each([
    ['TF_ATTEMPTS', 'abc', /^invalid configuration: TF_ATTEMPTS must be an integer number.* \(got "abc"\)$/],
    ['TF_ATTEMPTS', '2.5', /TF_ATTEMPTS must be an integer number/],
    ['TF_ATTEMPTS', '0', /TF_ATTEMPTS must not be less than 1 \(got "0"\)/],
    ['TF_ATTEMPTS', '11', /TF_ATTEMPTS must not be greater than 10/],
    ['TF_OPTIONAL_MS', '5m', /TF_OPTIONAL_MS must be an integer number.* \(got "5m"\)/],
    ['TF_SCALE', 'fast', /TF_SCALE must be a number/],
    ['TF_SCALE', '0', /TF_SCALE must be a positive number \(got "0"\)/],
    ['TF_FLAG', 'yes', /TF_FLAG must be true or false \(got "yes"\)/],
    ['TF_MODE', 'c', /TF_MODE must be one of the following values: a, b/],
    ['TF_ENDPOINT', 's3.example.com', /TF_ENDPOINT must be an absolute http\(s\) URL \(got "s3.example.com"\)/],
    ['TF_ENDPOINT', 'ftp://s3.example.com', /TF_ENDPOINT must be an absolute http\(s\) URL/],
  ])('refuses %s=%s with a ConfigError naming the variable and its value', (name, value, message) => {
    const read = () => readEnv(ExampleEnv, { [name]: value });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });

  it('names every bad variable at once', () => {
    const error = (() => {
      try {
        readEnv(ExampleEnv, { TF_ATTEMPTS: 'abc', TF_FLAG: 'on' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error?.problems).toEqual([expect.stringMatching(/^TF_ATTEMPTS /), expect.stringMatching(/^TF_FLAG /)]);
  });
});
