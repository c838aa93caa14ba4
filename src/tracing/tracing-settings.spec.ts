import { tracingSettings } from './tracing-settings.js';

const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' };

describe('tracingSettings: whether tracing is on', () => {
  it('is off without any OTEL_* variable, or with only ones that name no destination', () => {
    expect(tracingSettings({})).toBeUndefined();
    expect(
      tracingSettings({ OTEL_SERVICE_NAME: 'auth', OTEL_PROPAGATORS: 'xray', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }),
    ).toBeUndefined();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ', OTEL_TRACES_EXPORTER: '' })).toBeUndefined();
  });

  it.each([
    ['an OTLP endpoint', ENDPOINT],
    ['an OTLP traces endpoint', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }],
    ['a traces exporter', { OTEL_TRACES_EXPORTER: 'otlp' }],
  ])('is on with %s', (_case, env) => {
    expect(tracingSettings(env)).toBeDefined();
  });

  it('is off whenever OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none, whatever else is set', () => {
    expect(tracingSettings({ ...ENDPOINT, OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
    expect(tracingSettings({ ...ENDPOINT, OTEL_SDK_DISABLED: ' TRUE ' })).toBeUndefined();
    expect(tracingSettings({ ...ENDPOINT, OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
    expect(tracingSettings({ ...ENDPOINT, OTEL_SDK_DISABLED: 'false' })).toBeDefined();
  });
});

describe('tracingSettings: how', () => {
  it('defaults to OTLP over HTTP/protobuf, W3C trace context and baggage, random ids, and our service name', () => {
    expect(tracingSettings(ENDPOINT)).toEqual({
      serviceName: 'auth-service',
      exporter: 'otlp',
      protocol: 'http/protobuf',
      propagators: ['tracecontext', 'baggage'],
      xrayIds: false,
      warnings: [],
    });
  });

  it('takes the traces protocol over the general one, and the console exporter', () => {
    const env = { ...ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' };
    expect(tracingSettings(env)).toMatchObject({ protocol: 'http/json' });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'Console' })).toMatchObject({ exporter: 'console' });
  });

  it('with the xray propagator, also makes X-Ray-format trace ids', () => {
    expect(tracingSettings({ ...ENDPOINT, OTEL_PROPAGATORS: 'tracecontext, baggage, xray' })).toMatchObject({
      propagators: ['tracecontext', 'baggage', 'xray'],
      xrayIds: true,
    });
    expect(tracingSettings({ ...ENDPOINT, OTEL_PROPAGATORS: 'none' })).toMatchObject({ propagators: [], xrayIds: false });
  });

  it('names the service after OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES', () => {
    expect(tracingSettings({ ...ENDPOINT, OTEL_SERVICE_NAME: 'auth-eu', OTEL_RESOURCE_ATTRIBUTES: 'service.name=x' })?.serviceName).toBe(
      'auth-eu',
    );
    expect(tracingSettings({ ...ENDPOINT, OTEL_RESOURCE_ATTRIBUTES: 'team=id, service.name = auth-us' })?.serviceName).toBe('auth-us');
  });

  it('says what it ignores, and uses what it can', () => {
    const settings = tracingSettings({
      OTEL_TRACES_EXPORTER: 'zipkin,console',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift',
      OTEL_PROPAGATORS: 'b3,tracecontext',
    });
    expect(settings).toMatchObject({ exporter: 'otlp', protocol: 'http/protobuf', propagators: ['tracecontext'] });
    expect(settings?.warnings).toEqual([
      expect.stringContaining('"zipkin" is not supported'),
      expect.stringContaining('more than one exporter'),
      expect.stringContaining('"thrift" is not supported'),
      expect.stringContaining('"b3" is not supported'),
    ]);
  });
});
