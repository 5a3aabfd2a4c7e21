import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { freePort, PrivateRedis, startPrivateRedis } from './private-redis';

export const SENTINEL_MASTER_NAME = 'opsdeck';

/** A master, one replica and one sentinel of the test's own, on free ports (no persistence). */
export interface SentinelSetup {
  master: PrivateRedis;
  replica: PrivateRedis;
  sentinelPort: number;
  /** The master's port as the sentinel reports it now. */
  currentMasterPort(): Promise<number>;
  dispose(): Promise<void>;
}

export async function startSentinelSetup(): Promise<SentinelSetup> {
  const master = await startPrivateRedis();
  const replica = await startPrivateRedis(['--replicaof', '127.0.0.1', String(master.port)]);
  const sentinelPort = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'opsdeck-sentinel-'));
  const conf = path.join(dir, 'sentinel.conf');
  // Quorum 1 and short timers: one sentinel decides, a dead master is replaced within seconds.
  writeFileSync(
    conf,
    [
      `port ${sentinelPort}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 1000`,
      `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 3000`,
      '',
    ].join('\n'),
  );
  const sentinel: ChildProcess = spawn('redis-server', [conf, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  sentinel.stdout?.on('data', (d) => (log += d));
  sentinel.stderr?.on('data', (d) => (log += d));
  const client = new Redis({ host: '127.0.0.1', port: sentinelPort, lazyConnect: true, maxRetriesPerRequest: 1 });
  const currentMasterPort = async () => {
    const [, port] = (await client.call('SENTINEL', 'get-master-addr-by-name', SENTINEL_MASTER_NAME)) as [string, string];
    return Number(port);
  };
  const dispose = async () => {
    client.disconnect();
    if (sentinel.exitCode === null) {
      const exited = new Promise((r) => sentinel.once('exit', r));
      sentinel.kill('SIGKILL');
      await exited;
    }
    await Promise.all([master.dispose(), replica.dispose()]);
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready once the sentinel knows the master and has discovered its replica.
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const replicas = (await client.call('SENTINEL', 'replicas', SENTINEL_MASTER_NAME)) as unknown[];
      if ((await currentMasterPort()) === master.port && replicas.length > 0) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await dispose();
      throw new Error(`sentinel on ${sentinelPort} did not see the master and its replica within 15 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { master, replica, sentinelPort, currentMasterPort, dispose };
}
