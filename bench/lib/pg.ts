/** PostgreSQL administration for the bench: its own databases (chat_bench_*), dropped after. */
import { Client } from 'pg';

export function adminUrl(): string {
  return process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(name: string): Promise<string> {
  if (!/^chat_bench_[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  await withClient(adminUrl(), (client) => client.query(`CREATE DATABASE ${name}`));
  return databaseUrl(name);
}

export async function dropDatabase(name: string): Promise<void> {
  if (!/^chat_bench_[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  await withClient(adminUrl(), (client) =>
    client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  );
}

export async function serverVersion(): Promise<string> {
  return withClient(adminUrl(), async (client) => {
    const { rows } = await client.query<{ v: string }>(
      `SELECT current_setting('server_version') AS v`,
    );
    const settings = await client.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
       WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'max_connections')`,
    );
    const shown = settings.rows.map((row) => `${row.name}=${row.setting}${row.unit ?? ''}`);
    return `PostgreSQL ${rows[0].v} (${shown.join(', ')})`;
  });
}
