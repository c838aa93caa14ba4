import { redirectUriProblem } from './redirect-uri-rules.js';

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
