import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { SESSIONS_BY_USER_INDEX, tableDefinitions, tableNames, TTL_ATTRIBUTE } from '../../src/aws/table-definitions.js';
import { ROOT } from '../harness/processes.js';

/**
 * copilot/ and the Dockerfile are code too: linted with the tools `npm test` installs into .venv
 * (cfn-lint, hadolint, PyYAML), and checked against what the service expects of them.
 */
const VENV_BIN = join(ROOT, '.venv', 'bin');
const COPILOT = join(ROOT, 'copilot');

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
 * Every document of each file, parsed by PyYAML and handed over as JSON. Copilot reads YAML 1.2,
 * where only true/false are booleans; PyYAML's YAML 1.1 would turn the job's `on:` key into `True`.
 */
async function parseYaml(files: string[]): Promise<Record<string, unknown[]>> {
  const script = [
    'import json, re, sys, yaml',
    'class Loader(yaml.SafeLoader): pass',
    'BOOL = "tag:yaml.org,2002:bool"',
    'Loader.yaml_implicit_resolvers = {k: [r for r in v if r[0] != BOOL] for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}',
    'Loader.add_implicit_resolver(BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))',
    'docs = {}',
    'for path in sys.argv[1:]:',
    '    with open(path) as f:',
    '        docs[path] = list(yaml.load_all(f, Loader=Loader))',
    'json.dump(docs, sys.stdout)',
  ].join('\n');
  const { code, output } = await run('python', ['-c', script, ...files]);
  if (code !== 0) throw new Error(`PyYAML could not parse copilot/:\n${output}`);
  return JSON.parse(output) as Record<string, unknown[]>;
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
    parsed = await parseYaml(files);
  });

  describe('copilot/', () => {
    it('has the service, the job and the environment, and every YAML file in it parses', () => {
      expect(files).toEqual(
        expect.arrayContaining([
          'copilot/auth-service/manifest.yml',
          'copilot/auth-service/addons/tables.yml',
          'copilot/rotate-keys/manifest.yml',
          'copilot/rotate-keys/addons/access.yml',
          'copilot/environments/production/manifest.yml',
        ]),
      );
      for (const file of files) expect({ file, documents: parsed[file].length }).toEqual({ file, documents: 1 });
    });

    it('has addon templates that pass cfn-lint with no finding', async () => {
      const addons = files.filter((file) => file.includes('/addons/'));
      expect(addons.length).toBeGreaterThan(0);
      expect(await run('cfn-lint', ['--', ...addons])).toEqual({ code: 0, output: '' });
    });

    it('has a name and a type in every manifest, the name being its folder', () => {
      for (const file of files.filter((path) => path.endsWith('/manifest.yml'))) {
        const { name, type } = parsed[file][0] as Manifest;
        const folder = file.split('/').at(-2);
        expect({ file, name, type }).toEqual({ file, name: folder, type: expect.any(String) });
      }
      expect(parsed['copilot/environments/production/manifest.yml'][0]).toMatchObject({ type: 'Environment' });
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
      expect(command).toContain('dist/cli/main.js rotate --due');
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
      expect(dockerfile).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    });
  });
});
