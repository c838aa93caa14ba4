import { requestClient, USER_AGENT_MAX_LENGTH } from './request-client.js';

describe('requestClient', () => {
  it('takes the address as request.ip has it, and the user agent as sent', () => {
    expect(requestClient({ ip: '203.0.113.7', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' } })).toEqual({
      clientAddress: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    });
  });

  it(`cuts a user agent to ${USER_AGENT_MAX_LENGTH} characters`, () => {
    const { userAgent } = requestClient({ ip: '::1', headers: { 'user-agent': `agent/${'x'.repeat(1000)}` } });
    expect(userAgent).toHaveLength(USER_AGENT_MAX_LENGTH);
    expect(userAgent).toBe(`agent/${'x'.repeat(USER_AGENT_MAX_LENGTH - 6)}`);
  });

  it.each([{}, { 'user-agent': '' }])('leaves out a missing or empty user agent (%p)', (headers) => {
    expect(requestClient({ ip: '::1', headers })).toEqual({ clientAddress: '::1' });
  });
});
