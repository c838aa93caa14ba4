import { redirectUriMatches, redirectUriProblem } from './redirect-uri-rules.js';

describe('redirect URI rules', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com/callback?tenant=a',
    'http://127.0.0.1/callback',
    'http://127.0.0.1:8080/callback',
    'http://[::1]/callback',
    'http://localhost:3000/cb',
    'com.example.app:/oauth2redirect',
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeUndefined();
  });

  it.each([
    ['/callback', 'is not an absolute URI'],
    ['https://app.example.com/cb#frag', 'must not have a fragment'],
    ['https://app.example.com/cb#', 'must not have a fragment'],
    ['https://user:pw@app.example.com/cb', 'must not carry credentials'],
    ['http://app.example.com/callback', 'may use http only'],
    ['http://127.0.0.1.evil.example/cb', 'may use http only'],
    ['javascript:alert(1)', 'private-use scheme'],
    ['data:text/html,hi', 'private-use scheme'],
    ['file:///etc/passwd', 'private-use scheme'],
    ['myapp:/cb', 'private-use scheme'],
  ])('refuses %s', (uri, problem) => {
    expect(redirectUriProblem(uri)).toContain(problem);
  });
});

describe('redirect URI matching', () => {
  const registered = ['https://app.example.com/cb', 'http://127.0.0.1/cb', 'http://[::1]/cb', 'http://localhost:3000/cb'];

  it.each([
    'https://app.example.com/cb',
    'http://127.0.0.1/cb',
    'http://127.0.0.1:51004/cb',
    'http://[::1]:8080/cb',
    'http://localhost:3000/cb',
  ])('matches %s', (uri) => {
    expect(redirectUriMatches(registered, uri)).toBe(true);
  });

  it.each([
    'https://app.example.com/cb/',
    'https://app.example.com/CB',
    'https://app.example.com/cb?x=1',
    'https://app.example.com:443/cb',
    'https://app.example.com/c%62',
    'https://app.example.com./cb',
    'http://app.example.com/cb',
    'http://127.0.0.1:51004/cb/',
    'http://127.0.0.1:51004/other',
    'http://127.0.0.2:51004/cb',
    'http://localhost:3001/cb',
    'http://localhost/cb',
    'http://127.0.0.1:51004@evil.example/cb',
  ])('does not match %s (a character differs, or a port anywhere but a loopback IP)', (uri) => {
    expect(redirectUriMatches(registered, uri)).toBe(false);
  });

  it('lets a port vary only when the registration has none', () => {
    expect(redirectUriMatches(['http://127.0.0.1:8080/cb'], 'http://127.0.0.1:9090/cb')).toBe(false);
  });
});
