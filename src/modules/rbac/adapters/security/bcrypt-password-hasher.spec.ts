import { BcryptPasswordHasher, bcryptCost } from './bcrypt-password-hasher';

describe('BcryptPasswordHasher', () => {
  const saved = { cost: process.env.BCRYPT_COST, nodeEnv: process.env.NODE_ENV };
  afterEach(() => {
    process.env.BCRYPT_COST = saved.cost;
    process.env.NODE_ENV = saved.nodeEnv;
    if (saved.cost === undefined) delete process.env.BCRYPT_COST;
  });

  it('uses cost 10 unless a test lowers it (to at least 4)', () => {
    expect(bcryptCost({})).toBe(10);
    expect(bcryptCost({ NODE_ENV: 'production', BCRYPT_COST: '4' })).toBe(10);
    expect(bcryptCost({ BCRYPT_COST: '4' })).toBe(10);
    expect(bcryptCost({ NODE_ENV: 'test', BCRYPT_COST: '4' })).toBe(4);
    expect(() => bcryptCost({ NODE_ENV: 'test', BCRYPT_COST: '3' })).toThrow('BCRYPT_COST must be an integer between 4 and 10 (got "3")');
    expect(() => bcryptCost({ NODE_ENV: 'test', BCRYPT_COST: 'x' })).toThrow(/BCRYPT_COST/);
  });

  it('hashes with bcrypt and verifies; no stored hash never verifies', async () => {
    process.env.NODE_ENV = 'test';
    process.env.BCRYPT_COST = '4';
    const hasher = new BcryptPasswordHasher();
    const hash = await hasher.hash('correct horse battery');
    expect(hash).toMatch(/^\$2[aby]\$04\$.{53}$/);
    expect(await hasher.verify('correct horse battery', hash)).toBe(true);
    expect(await hasher.verify('correct horse batterY', hash)).toBe(false);
    expect(await hasher.verify('correct horse battery', null)).toBe(false);
  });
});
