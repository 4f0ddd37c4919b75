import { ConfigError, loadConfig } from './env';

describe('loadConfig', () => {
  it('defaults to the embedded database under ./.data and port 3000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      database: { kind: 'embedded', dataDir: './.data' },
      logLevel: 'info',
    });
  });

  it('switches to a PostgreSQL server when DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/zk' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgresql://u@db:5432/zk' });
  });

  it('names every bad variable in one error', () => {
    let err: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        MAX_PROGRAM_BYTES: '12',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'MAX_PROGRAM_BYTES'])
      expect(msg).toContain(name);
    expect((err as ConfigError).problems).toHaveLength(4);
  });

  it('rejects out-of-range numbers', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be between 0 and 65535/);
  });
});
