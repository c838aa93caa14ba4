import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { SESSIONS_BY_USER_INDEX, tableDefinitions, tableNames, TTL_ATTRIBUTE } from '../../src/aws/table-definitions.js';
import { ROOT } from '../harness/processes.js';

/**
 * copilot/, the Dockerfile, docker-compose.yml and the GitHub workflow are code too: linted with the
 * tools `npm test` installs into .venv (cfn-lint, hadolint, actionlint with shellcheck, PyYAML),
 * and checked against what the service expects of them.
 */
const VENV_BIN = join(ROOT, '.venv', 'bin');
const COPILOT = join(ROOT, 'copilot');
const COMPOSE = 'docker-compose.yml';
const WORKFLOW = '.github/workflows/ci.yml';
const PIPELINE = 'copilot/pipelines/auth-service-main';

interface Run {
  code: number;
  output: string;
}

async function run(tool: string, args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(join(VENV_BIN, tool), args, { cwd: ROOT });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

/**
 * A YAML 1.2 loader for PyYAML. Copilot and GitHub read YAML 1.2, where only true/false are
 * booleans; PyYAML's YAML 1.1 would turn the job's and the workflow's `on:` key into `True`.
 */
const YAML_LOADER = [
  'import json, re, sys, yaml',
  'class Loader(yaml.SafeLoader): pass',
  'BOOL = "tag:yaml.org,2002:bool"',
  'Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != BOOL] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}',
  'Loader.add_implicit_resolver(BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))',
];

/** Every document of each file, parsed by PyYAML and handed over as JSON. */
async function parseYaml(files: string[]): Promise<Record<string, unknown[]>> {
  const script = [
    ...YAML_LOADER,
    'docs = {}',
    'for path in sys.argv[1:]:',
    '    with open(path) as f:',
    '        docs[path] = list(yaml.load_all(f, Loader=Loader))',
    'json.dump(docs, sys.stdout)',
  ].join('\n');
  const { code, output } = await run('python', ['-c', script, ...files]);
  if (code !== 0) throw new Error(`PyYAML could not parse ${files.join(', ')}:\n${output}`);
  return JSON.parse(output) as Record<string, unknown[]>;
}

/** One YAML document held in a string (a configuration inside a manifest), parsed the same way. */
function parseYamlText(text: string): Manifest {
  const script = [...YAML_LOADER, 'json.dump(yaml.load(sys.stdin, Loader=Loader), sys.stdout)'].join('\n');
  return JSON.parse(execFileSync(join(VENV_BIN, 'python'), ['-c', script], { input: text, encoding: 'utf8' })) as Manifest;
}

type Manifest = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SDK_SERVICES: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/lib-dynamodb': 'dynamodb',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
};
/** The document client's commands and the DynamoDB actions they call. */
const DOCUMENT_CLIENT_ACTIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

/**
 * The IAM actions of every AWS SDK command the code sends, found from its imports. Table creation
 * (src/aws/ensure-tables.ts: `cli tables create`, CREATE_TABLES) is left out: in AWS the addon
 * creates the tables and the task never does.
 */
function awsActionsUsed(): string[] {
  const actions = new Set<string>();
  const sources = readdirSync(join(ROOT, 'src'), { withFileTypes: true, recursive: true }).filter(
    (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && entry.name !== 'ensure-tables.ts',
  );
  for (const source of sources) {
    const text = readFileSync(join(source.parentPath, source.name), 'utf8');
    for (const [, names, module] of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/[^']+)'/g)) {
      const commands = names
        .split(',')
        .map((name) => name.trim().split(/\s+as\s+/)[0])
        .filter((name) => name.endsWith('Command') && text.includes(`new ${name}(`));
      for (const command of commands) {
        const base = command.replace(/Command$/, '');
        const action = module === '@aws-sdk/lib-dynamodb' ? DOCUMENT_CLIENT_ACTIONS[base] : base;
        if (!SDK_SERVICES[module] || !action) throw new Error(`${source.name}: no IAM action known for ${module} ${command}`);
        actions.add(`${SDK_SERVICES[module]}:${action}`);
        // CreateSecret with Tags is also authorized as TagResource.
        if (action === 'CreateSecret' && /Tags:/.test(text)) actions.add('secretsmanager:TagResource');
      }
    }
  }
  return [...actions].sort();
}

describe('infrastructure as code', () => {
  const files = yamlFiles(COPILOT);
  let parsed: Record<string, unknown[]>;
  const manifest = (workload: string): Manifest => parsed[`copilot/${workload}/manifest.yml`][0] as Manifest;
  const resourcesOf = (addon: string): Record<string, Manifest> => (parsed[addon][0] as Manifest).Resources;

  beforeAll(async () => {
    parsed = await parseYaml([...files, COMPOSE, WORKFLOW]);
  });

  describe('copilot/', () => {
    it('has the service, the job, the environments and the pipeline, and every YAML file in it parses', () => {
      expect(files).toEqual(
        expect.arrayContaining([
          'copilot/auth-service/manifest.yml',
          'copilot/auth-service/addons/tables.yml',
          'copilot/rotate-keys/manifest.yml',
          'copilot/rotate-keys/addons/access.yml',
          'copilot/environments/test/manifest.yml',
          'copilot/environments/production/manifest.yml',
          `${PIPELINE}/manifest.yml`,
          `${PIPELINE}/buildspec.yml`,
        ]),
      );
      for (const file of files) expect({ file, documents: parsed[file].length }).toEqual({ file, documents: 1 });
    });

    it('has addon templates that pass cfn-lint with no finding', async () => {
      const addons = files.filter((file) => file.includes('/addons/'));
      expect(addons.length).toBeGreaterThan(0);
      expect(await run('cfn-lint', ['--', ...addons])).toEqual({ code: 0, output: '' });
    });

    it('has a name and a type (a pipeline: a schema version) in every manifest, the name being its folder', () => {
      for (const file of files.filter((path) => path.endsWith('/manifest.yml'))) {
        const { name, type, version } = parsed[file][0] as Manifest;
        const folder = file.split('/').at(-2);
        const kind = file.startsWith('copilot/pipelines/') ? { version: 1 } : { type: expect.any(String) };
        expect({ file, name, ...(type !== undefined && { type }), ...(version !== undefined && { version }) }).toEqual({
          file,
          name: folder,
          ...kind,
        });
      }
      for (const environment of ['test', 'production'])
        expect(parsed[`copilot/environments/${environment}/manifest.yml`][0]).toMatchObject({ type: 'Environment' });
    });

    it('deploys the service as a Load Balanced Web Service, probed on readiness, built from the Dockerfile, on the AWS store', () => {
      const service = manifest('auth-service');
      expect(service).toMatchObject({
        type: 'Load Balanced Web Service',
        http: { healthcheck: { path: '/health/ready' } },
        image: { build: 'Dockerfile', port: 3000 },
        variables: { STORE: 'aws', PORT: '3000', INTERNAL_PORT: '3001', CREATE_TABLES: 'false' },
        secrets: { ADMIN_TOKEN: expect.stringContaining('ADMIN_TOKEN') },
      });
    });

    it('runs the key rotation as a Scheduled Job: `rotate --due` of the CLI, with the same store settings as the service', () => {
      const job = manifest('rotate-keys');
      const service = manifest('auth-service');
      expect(job).toMatchObject({ type: 'Scheduled Job', on: { schedule: expect.any(String) }, image: { build: 'Dockerfile' } });
      const command = Array.isArray(job.command) ? job.command.join(' ') : String(job.command);
      expect(command).toBe('node --import ./dist/tracing/register-tracing.js dist/cli/main.js rotate --due');
      for (const variable of ['STORE', 'DYNAMODB_TABLE_PREFIX', 'SECRET_PREFIX'])
        expect({ variable, job: job.variables[variable] }).toEqual({ variable, job: service.variables[variable] });
    });

    it('creates the tables of src/aws/table-definitions.ts, key for key', () => {
      // Copilot's addon names them "${App}-${Env}-<table>": the manifest's DYNAMODB_TABLE_PREFIX.
      expect(manifest('auth-service').variables.DYNAMODB_TABLE_PREFIX).toBe('${COPILOT_APPLICATION_NAME}-${COPILOT_ENVIRONMENT_NAME}-');
      const tables = Object.values(resourcesOf('copilot/auth-service/addons/tables.yml')).filter(
        (resource) => resource.Type === 'AWS::DynamoDB::Table',
      );
      const byName = new Map(tables.map((table) => [table.Properties.TableName['Fn::Sub'] as string, table.Properties]));
      const sortedAttributes = (attributes: { AttributeName: string }[] = []) =>
        [...attributes].sort((a, b) => a.AttributeName.localeCompare(b.AttributeName));

      const definitions = tableDefinitions(tableNames('${App}-${Env}-'));
      expect([...byName.keys()].sort()).toEqual(definitions.map((definition) => definition.TableName).sort());
      for (const definition of definitions) {
        const table = byName.get(definition.TableName!)!;
        expect({
          table: definition.TableName,
          BillingMode: table.BillingMode,
          KeySchema: table.KeySchema,
          AttributeDefinitions: sortedAttributes(table.AttributeDefinitions),
          GlobalSecondaryIndexes: table.GlobalSecondaryIndexes,
        }).toEqual({
          table: definition.TableName,
          BillingMode: definition.BillingMode,
          KeySchema: definition.KeySchema,
          AttributeDefinitions: sortedAttributes(definition.AttributeDefinitions as { AttributeName: string }[]),
          GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes,
        });
      }
      expect(byName.get('${App}-${Env}-sessions')?.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
    });

    it("grants the service's and the job's task roles the tables and the sessions index", () => {
      const statements = (addon: string) =>
        Object.values(resourcesOf(addon))
          .filter((resource) => resource.Type === 'AWS::IAM::ManagedPolicy')
          .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Manifest[]);
      const tableResources = (addon: string) => JSON.stringify(statements(addon).find((statement) => statement.Sid === 'Tables')?.Resource);
      expect(tableResources('copilot/auth-service/addons/tables.yml')).toContain(`\${SessionsTable.Arn}/index/${SESSIONS_BY_USER_INDEX}`);
      const job = tableResources('copilot/rotate-keys/addons/access.yml');
      for (const table of ['domains', 'users', 'sessions', `sessions/index/${SESSIONS_BY_USER_INDEX}`])
        expect(job).toContain(`table/\${App}-\${Env}-${table}`);
    });
  });

  describe('task roles', () => {
    it.each(['copilot/auth-service/addons/tables.yml', 'copilot/rotate-keys/addons/access.yml'])(
      '%s allows every AWS call the code makes',
      (addon) => {
        const granted = new Set(
          Object.values(resourcesOf(addon))
            .filter((resource) => resource.Type === 'AWS::IAM::ManagedPolicy')
            .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Manifest[])
            .flatMap((statement) => [statement.Action].flat() as string[]),
        );
        const used = awsActionsUsed();
        expect(used).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'secretsmanager:GetSecretValue']));
        expect(used.filter((action) => !granted.has(action))).toEqual([]);
      },
    );
  });

  describe('Dockerfile', () => {
    it('passes hadolint with no finding, style included', async () => {
      expect(await run('hadolint', ['--no-color', '--failure-threshold', 'style', 'Dockerfile'])).toEqual({ code: 0, output: '' });
    });

    it('ships the Node version the tests run on (package.json pins it)', () => {
      const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
      const pinned = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: { node: string } }).devDependencies
        .node;
      expect(dockerfile).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${pinned.replaceAll('.', '\\.')}-bookworm-slim$`, 'm'));
      expect(process.version).toBe(`v${pinned}`);
    });

    it('runs `node dist/main.js` as PID 1 (exec form), as the shutdown suite starts it, so SIGTERM reaches the server', () => {
      const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
      // The tracing hook must load before the app (src/tracing/register-tracing.ts).
      expect(dockerfile).toMatch(/^CMD \["node", "--import", "\.\/dist\/tracing\/register-tracing\.js", "dist\/main\.js"\]$/m);
    });
  });

  describe('traces (OpenTelemetry)', () => {
    const WORKLOADS = ['auth-service', 'rotate-keys'];
    const collectorOf = (workload: string): Manifest => manifest(workload).sidecars?.['otel-collector'] ?? {};
    const xrayStatements = (addon: string) =>
      Object.values(resourcesOf(addon))
        .filter((resource) => resource.Type === 'AWS::IAM::ManagedPolicy')
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Manifest[])
        .filter((statement) => JSON.stringify(statement.Action).includes('xray:'));

    it.each(WORKLOADS)('%s runs the ADOT collector beside its container: a pinned image, not essential, started first', (workload) => {
      expect(collectorOf(workload)).toMatchObject({
        image: expect.stringMatching(/^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/),
        essential: false,
      });
      // No port mapping: the app reaches it on the task's loopback, nothing outside the task does.
      expect(collectorOf(workload).port).toBeUndefined();
      expect(manifest(workload).image.depends_on).toEqual({ 'otel-collector': 'start' });
    });

    it('gives the service and the job the same collector', () => {
      expect(collectorOf('rotate-keys')).toEqual(collectorOf('auth-service'));
    });

    it('configures the collector as OTLP on the loopback, batched, out to X-Ray, and nothing else', () => {
      const config = parseYamlText(collectorOf('auth-service').variables.AOT_CONFIG_CONTENT as string);
      expect(config).toEqual({
        receivers: { otlp: { protocols: { grpc: { endpoint: '127.0.0.1:4317' }, http: { endpoint: '127.0.0.1:4318' } } } },
        processors: { batch: null },
        exporters: { awsxray: null },
        service: { pipelines: { traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['awsxray'] } } },
      });
    });

    it.each(WORKLOADS)('%s exports its traces to the collector over OTLP/HTTP, with the X-Ray propagator', (workload) => {
      const config = parseYamlText(collectorOf(workload).variables.AOT_CONFIG_CONTENT as string);
      expect(manifest(workload).variables).toMatchObject({
        OTEL_SERVICE_NAME: workload,
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://${config.receivers.otlp.protocols.http.endpoint}`,
        OTEL_PROPAGATORS: 'tracecontext,baggage,xray',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      });
    });

    it.each(['copilot/auth-service/addons/tables.yml', 'copilot/rotate-keys/addons/access.yml'])(
      "%s lets the task role send trace segments to X-Ray, and nothing else of X-Ray's",
      (addon) => {
        expect(xrayStatements(addon)).toEqual([{ Sid: 'Traces', Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' }]);
      },
    );
  });

  describe('docker-compose.yml', () => {
    const services = (): Record<string, Manifest> => (parsed[COMPOSE][0] as Manifest).services;
    const otelVariables = (service: Manifest) => Object.keys(service.environment ?? {}).filter((name) => name.startsWith('OTEL_'));

    it('traces nothing by default: no service outside a profile has an OTEL_* variable', () => {
      const always = Object.entries(services()).filter(([, service]) => !service.profiles);
      expect(always.map(([name]) => name)).toEqual(expect.arrayContaining(['auth-service', 'init']));
      for (const [name, service] of always) expect({ name, otel: otelVariables(service) }).toEqual({ name, otel: [] });
    });

    it('has a "tracing" profile: Jaeger (pinned, its UI on 127.0.0.1:16686) and the service exporting its traces to it', () => {
      const { jaeger, 'auth-service-traced': traced, 'auth-service': plain } = services();
      expect(jaeger).toMatchObject({
        profiles: ['tracing'],
        image: expect.stringMatching(/^jaegertracing\/jaeger:(\d+\.\d+\.\d+|\$\{JAEGER_VERSION:-\d+\.\d+\.\d+\})$/),
        ports: ['127.0.0.1:16686:16686'],
      });
      expect(traced).toMatchObject({ profiles: ['tracing'], depends_on: { jaeger: expect.anything() } });
      expect(traced.environment).toMatchObject({
        OTEL_SERVICE_NAME: 'auth-service',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
      });
      // Otherwise the very same service: same image, ports and settings.
      const { profiles, depends_on: tracedDependsOn, environment, ...rest } = traced;
      const { depends_on: plainDependsOn, environment: plainEnvironment, ...plainRest } = plain;
      expect(rest).toEqual(plainRest);
      expect(Object.fromEntries(Object.entries(environment as Manifest).filter(([name]) => !name.startsWith('OTEL_')))).toEqual(
        plainEnvironment,
      );
      expect(tracedDependsOn).toMatchObject(plainDependsOn as Manifest);
      expect(profiles).toEqual(['tracing']);
    });
  });

  describe('delivery pipeline (copilot/pipelines/auth-service-main)', () => {
    const pipeline = (): Manifest => parsed[`${PIPELINE}/manifest.yml`][0] as Manifest;
    const buildspec = (file: string): Manifest => parsed[file][0] as Manifest;
    const commands = (spec: Manifest, phase: string): string[] => spec.phases?.[phase]?.commands ?? [];
    const smokeBuildspec = () => pipeline().stages[0].post_deployments.smoke.buildspec as string;

    it('takes the main branch of a GitHub repository and builds on the Ubuntu standard image, with its own buildspec', () => {
      expect(pipeline()).toMatchObject({
        source: {
          provider: 'GitHub',
          properties: { branch: 'main', repository: expect.stringMatching(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/) },
        },
        build: { image: 'aws/codebuild/standard:7.0', buildspec: `${PIPELINE}/buildspec.yml` },
      });
    });

    it('deploys to test, then, after a manual approval, to production: the service before the job in each', () => {
      const stages = pipeline().stages as Manifest[];
      expect(stages.map((stage) => stage.name)).toEqual(['test', 'production']);
      expect(stages.map((stage) => stage.requires_approval === true)).toEqual([false, true]);
      for (const stage of stages) {
        expect(stage.deployments).toEqual({ 'auth-service': null, 'rotate-keys': { depends_on: ['auth-service'] } });
        expect(existsSync(join(COPILOT, 'environments', stage.name, 'manifest.yml'))).toBe(true);
        // The issuer URL of every environment deployed to, which the smoke test calls in test.
        for (const workload of ['auth-service', 'rotate-keys'])
          expect(manifest(workload).environments?.[stage.name]?.variables?.PUBLIC_URL).toMatch(/^https:\/\//);
      }
    });

    it("runs the README's test command through the project's CI script before it builds anything", () => {
      const build = buildspec(`${PIPELINE}/buildspec.yml`);
      expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
      expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/^npm test\b/m);
      expect(commands(build, 'build').join('\n')).toContain('bash .ci/run');
      expect(build.phases.build['on-failure']).toBe('ABORT');
      expect(commands(build, 'post_build')[0]).toBe('[ "$CODEBUILD_BUILD_SUCCEEDING" = 1 ]');
    });

    it("leaves Copilot's deploy actions the templates of both workloads for every stage, with their images pushed", () => {
      const build = buildspec(`${PIPELINE}/buildspec.yml`);
      const packaging = commands(build, 'post_build').join('\n');
      for (const command of ['svc package --name auth-service', 'job package --name rotate-keys'])
        expect(packaging).toMatch(new RegExp(`${command} --env "\\$env" .*--output-dir infrastructure --upload-assets`));
      expect(packaging).toContain('.fetch("stages")');
      expect(build.artifacts).toEqual({ files: ['infrastructure/*'] });
      expect(build.env.variables.COPILOT_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    });

    it("smoke-tests the test environment at its PUBLIC_URL with that environment's admin token, read from SSM when it runs", () => {
      const [test] = pipeline().stages as Manifest[];
      expect(Object.keys(test.post_deployments)).toEqual(['smoke']);
      expect(test.test_commands).toBeUndefined();
      const smoke = commands(buildspec(smokeBuildspec()), 'build').join('\n');
      expect(smoke).toContain('npm run smoke -- --url "$1"');
      expect(smoke).toContain('"environments", ENV.fetch("COPILOT_ENVIRONMENT_NAME"), "variables", "PUBLIC_URL"');
      // The parameter `copilot secret init` writes and the service reads (its manifest's secret).
      const parameter = (manifest('auth-service').secrets.ADMIN_TOKEN as string).replace(/\$\{(\w+)\}/g, '$$$1');
      expect(smoke).toContain(`ADMIN_TOKEN=$(aws ssm get-parameter --with-decryption --name "${parameter}"`);
      expect(smoke).toContain('docker run --rm -e ADMIN_TOKEN ');
    });

    it('writes no secret in any pipeline file or workflow', () => {
      const pipelineFiles = files.filter((file) => file.startsWith(`${PIPELINE}/`));
      expect(pipelineFiles).toEqual(expect.arrayContaining([`${PIPELINE}/buildspec.yml`, smokeBuildspec()]));
      for (const file of [...pipelineFiles, WORKFLOW]) {
        const text = readFileSync(join(ROOT, file), 'utf8');
        // An assignment of a secret-looking name to anything but a command's output or a reference.
        const literal = /\b\w*(TOKEN|SECRET|PASSWORD|ACCESS_KEY)\w*\s*[:=]\s*(?!\$[({])["']?[^\s"'$]/i;
        expect({ file, literal: text.match(literal)?.[0] ?? null }).toEqual({ file, literal: null });
        expect({ file, awsKey: /\bA(KI|SI)A[0-9A-Z]{16}\b/.test(text), privateKey: text.includes('PRIVATE KEY') }).toEqual({
          file,
          awsKey: false,
          privateKey: false,
        });
        const spec = parsed[file][0] as Manifest;
        expect({ file, parameterStore: spec.env?.['parameter-store'], secretsManager: spec.env?.['secrets-manager'] }).toEqual({
          file,
          parameterStore: undefined,
          secretsManager: undefined,
        });
      }
    });

    it("gives the build more than CodeBuild's small default, by a patch of the generated pipeline stack", () => {
      expect(parsed[`${PIPELINE}/overrides/cfn.patches.yml`][0]).toEqual([
        { op: 'replace', path: '/Resources/BuildProject/Properties/Environment/ComputeType', value: 'BUILD_GENERAL1_MEDIUM' },
        { op: 'replace', path: '/Resources/BuildProject/Properties/TimeoutInMinutes', value: 120 },
      ]);
    });
  });

  describe('GitHub workflow (.github/workflows/ci.yml)', () => {
    const workflow = (): Manifest => parsed[WORKFLOW][0] as Manifest;

    it('passes actionlint with no finding, its shell scripts checked by shellcheck', async () => {
      expect(await run('actionlint', ['-no-color', '-shellcheck', join(VENV_BIN, 'shellcheck'), '-pyflakes=', WORKFLOW])).toEqual({
        code: 0,
        output: '',
      });
    });

    it('runs .ci/run on every push and pull request, reading the repository and nothing more', () => {
      expect(Object.keys(workflow().on).sort()).toEqual(['pull_request', 'push']);
      expect(workflow().permissions).toEqual({ contents: 'read' });
      const steps = Object.values(workflow().jobs as Record<string, Manifest>).flatMap((job) => job.steps as Manifest[]);
      expect(steps.map((step) => step.run).filter(Boolean)).toEqual(['bash .ci/run']);
      expect(steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with).toEqual({ 'persist-credentials': false });
    });

    it("caches npm's and pip's downloads", () => {
      const steps = Object.values(workflow().jobs as Record<string, Manifest>).flatMap((job) => job.steps as Manifest[]);
      const cached = steps.filter((step) => step.uses?.startsWith('actions/cache@')).flatMap((step) => String(step.with.path).split('\n'));
      expect(cached).toEqual(expect.arrayContaining(['~/.npm', '~/.cache/pip']));
    });

    it('pins every action to a full commit SHA, its release tag in a comment', () => {
      const uses = [...readFileSync(join(ROOT, WORKFLOW), 'utf8').matchAll(/^\s*(?:-\s+)?uses:\s*(.*)$/gm)].map((match) => match[1]);
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses) expect(use).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    });
  });
});
