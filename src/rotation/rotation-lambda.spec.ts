import { domainOfSecret } from './rotation-lambda.js';

describe('domainOfSecret', () => {
  const prefix = 'auth-service/production/domains/';

  it('reads the domain from a secret name', () => {
    expect(domainOfSecret(`${prefix}shop`, prefix)).toBe('shop');
  });

  it('reads the domain from a secret ARN, dropping its random suffix', () => {
    expect(domainOfSecret(`arn:aws:secretsmanager:eu-west-1:123456789012:secret:${prefix}shop-a1B2c3`, prefix)).toBe('shop');
  });

  it('refuses a secret outside the prefix', () => {
    expect(() => domainOfSecret('other/secret', prefix)).toThrow(/not under/);
  });
});
